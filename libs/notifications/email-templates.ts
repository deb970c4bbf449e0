import { isValidTimeZone } from '../domain/working-hours';

/**
 * E-mail templates for approval notifications. Pure functions: no I/O, no clock, no logging.
 *
 * Every string lives in MESSAGES, one table per language typed as MessageTable, so a missing or
 * misspelt key in any language is a compile error. Placeholders are passed to message functions
 * by name; the HTML renderer escapes the static text and every interpolated value.
 */

export const LANGUAGES = ['en', 'es', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** A message with named string placeholders. */
type Msg<K extends string = never> = (v: Record<K, string>) => string;

interface MessageTable {
  /** BCP 47 locale used for Intl formatting of dates and lists. */
  locale: string;
  greeting: Msg<'name'>;
  footer: Msg;
  deadline: Msg<'deadline'>;
  /** A link in the plain-text part: its label, then the URL. */
  linkLine: Msg<'label' | 'url'>;
  approvalRequest: {
    subject: Msg<'subject' | 'partnership'>;
    intro: Msg<'requestedBy' | 'subject' | 'partnership'>;
    action: Msg;
  };
  reminder: {
    subject: Msg<'n' | 'subject' | 'partnership'>;
    intro: Msg<'n' | 'requestedBy' | 'subject' | 'partnership'>;
  };
  escalation: {
    subject: Msg<'subject' | 'partnership'>;
    intro: Msg<'subject' | 'partnership' | 'deadline'>;
    awaiting: Msg<'names'>;
    action: Msg;
  };
  decision: {
    approvedSubject: Msg<'subject' | 'partnership'>;
    rejectedSubject: Msg<'subject' | 'partnership'>;
    approved: Msg<'decidedBy' | 'subject' | 'partnership' | 'decidedAt'>;
    rejected: Msg<'decidedBy' | 'subject' | 'partnership' | 'decidedAt'>;
    comment: Msg;
    noComment: Msg;
    action: Msg;
  };
}

export const MESSAGES: Readonly<Record<Language, MessageTable>> = {
  en: {
    locale: 'en-GB',
    greeting: (v) => `Dear ${v.name},`,
    footer: () => 'This is an automated message from Entente. Please do not reply to this e-mail.',
    deadline: (v) => `Please respond by ${v.deadline}.`,
    linkLine: (v) => `${v.label}: ${v.url}`,
    approvalRequest: {
      subject: (v) => `Approval requested: ${v.subject} – ${v.partnership}`,
      intro: (v) =>
        `${v.requestedBy} has asked you to approve “${v.subject}” for the partnership “${v.partnership}”.`,
      action: () => 'Review and decide',
    },
    reminder: {
      subject: (v) => `Reminder ${v.n}: approval pending for ${v.subject} – ${v.partnership}`,
      intro: (v) =>
        `This is reminder no. ${v.n}: your approval of “${v.subject}” for the partnership “${v.partnership}”, requested by ${v.requestedBy}, is still pending.`,
    },
    escalation: {
      subject: (v) => `Escalation: approval overdue for ${v.subject} – ${v.partnership}`,
      intro: (v) =>
        `The approval deadline for “${v.subject}” in the partnership “${v.partnership}” passed on ${v.deadline}.`,
      awaiting: (v) => `Still awaiting a decision from: ${v.names}.`,
      action: () => 'Open the partnership',
    },
    decision: {
      approvedSubject: (v) => `Approved: ${v.subject} – ${v.partnership}`,
      rejectedSubject: (v) => `Rejected: ${v.subject} – ${v.partnership}`,
      approved: (v) =>
        `${v.decidedBy} approved “${v.subject}” for the partnership “${v.partnership}” on ${v.decidedAt}.`,
      rejected: (v) =>
        `${v.decidedBy} rejected “${v.subject}” for the partnership “${v.partnership}” on ${v.decidedAt}.`,
      comment: () => 'Comment:',
      noComment: () => 'No comment was given.',
      action: () => 'Open the partnership',
    },
  },
  es: {
    locale: 'es-ES',
    greeting: (v) => `Estimado/a ${v.name}:`,
    footer: () =>
      'Este es un mensaje automático de Entente. Por favor, no responda a este correo electrónico.',
    deadline: (v) => `Plazo de respuesta: ${v.deadline}.`,
    linkLine: (v) => `${v.label}: ${v.url}`,
    approvalRequest: {
      subject: (v) => `Solicitud de aprobación: ${v.subject} – ${v.partnership}`,
      intro: (v) =>
        `${v.requestedBy} le solicita que apruebe «${v.subject}» en la colaboración «${v.partnership}».`,
      action: () => 'Revisar y decidir',
    },
    reminder: {
      subject: (v) =>
        `Recordatorio n.º ${v.n}: aprobación pendiente de ${v.subject} – ${v.partnership}`,
      intro: (v) =>
        `Le recordamos (aviso n.º ${v.n}) que sigue pendiente su aprobación de «${v.subject}» en la colaboración «${v.partnership}», solicitada por ${v.requestedBy}.`,
    },
    escalation: {
      subject: (v) => `Escalado: plazo de aprobación vencido para ${v.subject} – ${v.partnership}`,
      intro: (v) =>
        `El plazo de aprobación de «${v.subject}» en la colaboración «${v.partnership}» venció el ${v.deadline}.`,
      awaiting: (v) => `Aún falta la decisión de: ${v.names}.`,
      action: () => 'Abrir la colaboración',
    },
    decision: {
      approvedSubject: (v) => `Solicitud aprobada: ${v.subject} – ${v.partnership}`,
      rejectedSubject: (v) => `Solicitud rechazada: ${v.subject} – ${v.partnership}`,
      approved: (v) =>
        `${v.decidedBy} aprobó «${v.subject}» en la colaboración «${v.partnership}» el ${v.decidedAt}.`,
      rejected: (v) =>
        `${v.decidedBy} rechazó «${v.subject}» en la colaboración «${v.partnership}» el ${v.decidedAt}.`,
      comment: () => 'Comentario:',
      noComment: () => 'No se añadió ningún comentario.',
      action: () => 'Abrir la colaboración',
    },
  },
  zh: {
    locale: 'zh-CN',
    greeting: (v) => `${v.name}，您好：`,
    footer: () => '此邮件由 Entente 系统自动发送，请勿直接回复。',
    deadline: (v) => `请于 ${v.deadline} 前回复。`,
    linkLine: (v) => `${v.label}：${v.url}`,
    approvalRequest: {
      subject: (v) => `审批请求：${v.subject}（${v.partnership}）`,
      intro: (v) => `${v.requestedBy} 请您审批合作项目“${v.partnership}”中的“${v.subject}”。`,
      action: () => '查看并审批',
    },
    reminder: {
      subject: (v) => `第 ${v.n} 次提醒：${v.subject}（${v.partnership}）待审批`,
      intro: (v) =>
        `第 ${v.n} 次提醒：${v.requestedBy} 提交的合作项目“${v.partnership}”中的“${v.subject}”仍在等待您的审批。`,
    },
    escalation: {
      subject: (v) => `升级通知：${v.subject}（${v.partnership}）审批已逾期`,
      intro: (v) => `合作项目“${v.partnership}”中“${v.subject}”的审批期限已于 ${v.deadline} 届满。`,
      awaiting: (v) => `以下人员尚未作出决定：${v.names}。`,
      action: () => '打开合作项目',
    },
    decision: {
      approvedSubject: (v) => `已批准：${v.subject}（${v.partnership}）`,
      rejectedSubject: (v) => `已驳回：${v.subject}（${v.partnership}）`,
      approved: (v) =>
        `${v.decidedBy} 已于 ${v.decidedAt} 批准合作项目“${v.partnership}”中的“${v.subject}”。`,
      rejected: (v) =>
        `${v.decidedBy} 已于 ${v.decidedAt} 驳回合作项目“${v.partnership}”中的“${v.subject}”。`,
      comment: () => '审批意见：',
      noComment: () => '未填写审批意见。',
      action: () => '打开合作项目',
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Inputs

interface CommonInput {
  /** The recipient's language. */
  language: Language;
  /** Recipient's language first, then English (no effect when language is 'en'). */
  bilingual?: boolean;
  partnershipTitle: string;
  subjectTitle: string;
  /** IANA zone of the recipient, e.g. Europe/Madrid; dates are shown in it. */
  timeZone: string;
  /** Absolute http(s) URL to the page where the recipient acts. */
  link: string;
}

export interface ApprovalRequestEmailInput extends CommonInput {
  recipientName: string;
  requestedBy: string;
  deadline: Date;
}

export interface ReminderEmailInput extends ApprovalRequestEmailInput {
  /** 1 for the first reminder. */
  reminderNumber: number;
}

export interface EscalationEmailInput extends CommonInput {
  coordinatorName: string;
  /** Names of the approvers who have not decided yet. */
  awaiting: string[];
  /** The deadline that passed. */
  deadline: Date;
}

export interface DecisionEmailInput extends CommonInput {
  coordinatorName: string;
  decision: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: Date;
  comment?: string;
}

// ---------------------------------------------------------------------------------------------
// Rendering

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in HTML element content and double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Deadline-style date: weekday, date, 24-hour time and zone name, in the locale's words. */
export function formatDateTime(date: Date, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(MESSAGES[language].locale, {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
    timeZoneName: 'long',
  }).format(date);
}

type Block =
  | { kind: 'p'; msg: Msg<string>; vars: Record<string, string> }
  | { kind: 'quote'; value: string }
  | { kind: 'link'; label: string; href: string }
  | { kind: 'footer'; value: string };

function p<K extends string>(msg: Msg<K>, vars: Record<K, string>): Block {
  return { kind: 'p', msg: msg as Msg<string>, vars };
}

interface Section {
  language: Language;
  subject: string;
  blocks: Block[];
}

/** Private-use sentinels mark placeholders so the static text can be escaped on its own. */
const SENTINEL = /\uE000(\w+)\uE001/g;

function paragraphHtml(block: Extract<Block, { kind: 'p' }>): string {
  const marked = Object.fromEntries(Object.keys(block.vars).map((k) => [k, `\uE000${k}\uE001`]));
  return escapeHtml(block.msg(marked)).replace(SENTINEL, (_, key: string) =>
    escapeHtml(block.vars[key]),
  );
}

function multilineHtml(value: string): string {
  return escapeHtml(value).replace(/\r?\n/g, '<br>\n');
}

function sectionText(section: Section): string {
  return section.blocks
    .map((b) => {
      switch (b.kind) {
        case 'p':
          return b.msg(b.vars);
        case 'quote':
          return b.value
            .split(/\r?\n/)
            .map((line) => `> ${line}`)
            .join('\n');
        case 'link':
          return MESSAGES[section.language].linkLine({ label: b.label, url: b.href });
        case 'footer':
          return `-- \n${b.value}`;
      }
    })
    .join('\n\n');
}

function sectionHtml(section: Section): string {
  const body = section.blocks
    .map((b) => {
      switch (b.kind) {
        case 'p':
          return `<p>${paragraphHtml(b)}</p>`;
        case 'quote':
          return `<blockquote style="margin:0 0 1em;padding-left:1em;border-left:3px solid #ccc">${multilineHtml(b.value)}</blockquote>`;
        case 'link':
          return `<p><a href="${escapeHtml(b.href)}" style="display:inline-block;padding:8px 16px;background:#1f5fbf;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(b.label)}</a></p>\n<p style="font-size:12px;color:#555">${escapeHtml(b.href)}</p>`;
        case 'footer':
          return `<p style="font-size:12px;color:#777">${escapeHtml(b.value)}</p>`;
      }
    })
    .join('\n');
  return `<div lang="${MESSAGES[section.language].locale}">\n${body}\n</div>`;
}

const TEXT_SEPARATOR = '\n\n' + '-'.repeat(40) + '\n\n';

function compose(input: CommonInput, build: (language: Language) => Section): RenderedEmail {
  checkCommon(input);
  const languages: Language[] =
    input.bilingual && input.language !== 'en' ? [input.language, 'en'] : [input.language];
  const sections = languages.map(build);
  const subject = sections.map((s) => s.subject).join(' / ');
  const text = sections.map(sectionText).join(TEXT_SEPARATOR) + '\n';
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${MESSAGES[input.language].locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#222">',
    sections
      .map(sectionHtml)
      .join('\n<hr style="border:none;border-top:1px solid #ddd;margin:24px 0">\n'),
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return { subject, text, html };
}

/** Subject lines are headers: fold any line breaks or runs of whitespace in values to one space. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function checkCommon(input: CommonInput): void {
  if (!(LANGUAGES as readonly string[]).includes(input.language))
    throw new RangeError(`unsupported language ${JSON.stringify(input.language)}`);
  if (!isValidTimeZone(input.timeZone))
    throw new RangeError(`invalid time zone ${JSON.stringify(input.timeZone)}`);
  let url: URL;
  try {
    url = new URL(input.link);
  } catch {
    throw new RangeError(`link must be an absolute URL, got ${JSON.stringify(input.link)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new RangeError(`link must be http(s), got ${url.protocol}`);
}

function checkDate(name: string, value: Date): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new RangeError(`${name} must be a valid Date`);
}

function titles(input: CommonInput): { subject: string; partnership: string } {
  return { subject: oneLine(input.subjectTitle), partnership: oneLine(input.partnershipTitle) };
}

/** First notice to an approver that a decision is requested. */
export function renderApprovalRequestEmail(input: ApprovalRequestEmailInput): RenderedEmail {
  checkDate('deadline', input.deadline);
  return compose(input, (language) => {
    const m = MESSAGES[language];
    const vars = {
      requestedBy: input.requestedBy,
      subject: input.subjectTitle,
      partnership: input.partnershipTitle,
    };
    return {
      language,
      subject: m.approvalRequest.subject(titles(input)),
      blocks: [
        p(m.greeting, { name: input.recipientName }),
        p(m.approvalRequest.intro, vars),
        p(m.deadline, { deadline: formatDateTime(input.deadline, language, input.timeZone) }),
        { kind: 'link', label: m.approvalRequest.action({}), href: input.link },
        { kind: 'footer', value: m.footer({}) },
      ],
    };
  });
}

/** A further notice to an approver who has not decided yet. */
export function renderReminderEmail(input: ReminderEmailInput): RenderedEmail {
  checkDate('deadline', input.deadline);
  if (!Number.isInteger(input.reminderNumber) || input.reminderNumber < 1)
    throw new RangeError('reminderNumber must be a positive integer');
  return compose(input, (language) => {
    const m = MESSAGES[language];
    const n = input.reminderNumber.toLocaleString(m.locale);
    return {
      language,
      subject: m.reminder.subject({ n, ...titles(input) }),
      blocks: [
        p(m.greeting, { name: input.recipientName }),
        p(m.reminder.intro, {
          n,
          requestedBy: input.requestedBy,
          subject: input.subjectTitle,
          partnership: input.partnershipTitle,
        }),
        p(m.deadline, { deadline: formatDateTime(input.deadline, language, input.timeZone) }),
        { kind: 'link', label: m.approvalRequest.action({}), href: input.link },
        { kind: 'footer', value: m.footer({}) },
      ],
    };
  });
}

/** Tells the coordinator that the deadline passed with approvers still undecided. */
export function renderEscalationEmail(input: EscalationEmailInput): RenderedEmail {
  checkDate('deadline', input.deadline);
  if (input.awaiting.length === 0) throw new RangeError('awaiting must name at least one approver');
  return compose(input, (language) => {
    const m = MESSAGES[language];
    const names = new Intl.ListFormat(m.locale, { type: 'conjunction' }).format(input.awaiting);
    return {
      language,
      subject: m.escalation.subject(titles(input)),
      blocks: [
        p(m.greeting, { name: input.coordinatorName }),
        p(m.escalation.intro, {
          subject: input.subjectTitle,
          partnership: input.partnershipTitle,
          deadline: formatDateTime(input.deadline, language, input.timeZone),
        }),
        p(m.escalation.awaiting, { names }),
        { kind: 'link', label: m.escalation.action({}), href: input.link },
        { kind: 'footer', value: m.footer({}) },
      ],
    };
  });
}

/** Tells the coordinator that an approver approved or rejected, with the approver's comment. */
export function renderDecisionEmail(input: DecisionEmailInput): RenderedEmail {
  checkDate('decidedAt', input.decidedAt);
  if (input.decision !== 'approved' && input.decision !== 'rejected')
    throw new RangeError(`unknown decision ${JSON.stringify(input.decision)}`);
  const comment = input.comment?.trim();
  return compose(input, (language) => {
    const m = MESSAGES[language].decision;
    const approved = input.decision === 'approved';
    return {
      language,
      subject: (approved ? m.approvedSubject : m.rejectedSubject)(titles(input)),
      blocks: [
        p(MESSAGES[language].greeting, { name: input.coordinatorName }),
        p(approved ? m.approved : m.rejected, {
          decidedBy: input.decidedBy,
          subject: input.subjectTitle,
          partnership: input.partnershipTitle,
          decidedAt: formatDateTime(input.decidedAt, language, input.timeZone),
        }),
        ...(comment
          ? [p(m.comment, {}), { kind: 'quote', value: comment } satisfies Block]
          : [p(m.noComment, {})]),
        { kind: 'link', label: m.action({}), href: input.link },
        { kind: 'footer', value: MESSAGES[language].footer({}) },
      ],
    };
  });
}
