import { isStage } from '../domain/partnership';
import type { Stage } from '../domain/partnership';
import { isValidTimeZone } from '../domain/working-hours';
import { stageName } from '../domain/words';

/**
 * E-mail templates for approval notifications. Pure functions: no I/O, no clock, no logging.
 *
 * Every string lives in MESSAGES, one table per language typed as MessageTable, so a missing or
 * misspelt key in any language is a compile error. Placeholders are passed to message functions
 * by name; the HTML renderer escapes the static text and every interpolated value.
 */

export const LANGUAGES = ['en', 'es', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * A generated word in each language (a gate's title, a template task's title: see
 * libs/domain/words.ts), or a person's own words, the same in every language.
 */
export type Localized = string | Readonly<Record<Language, string>>;

/** `value` in `language`. */
export function inLanguage(value: Localized, language: Language): string {
  return typeof value === 'string' ? value : (value[language] ?? value.en);
}

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
  /** Above the link's URL in the HTML part, under its button. */
  linkFallback: Msg;
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
    /** Added when the decision closed the request with that status. */
    requestApproved: Msg;
    requestRejected: Msg;
    action: Msg;
  };
  approvalExpired: {
    subject: Msg<'subject' | 'partnership'>;
    intro: Msg<'subject' | 'partnership' | 'deadline'>;
    unanswered: Msg<'names'>;
    action: Msg;
  };
  taskOverdue: {
    subject: Msg<'n' | 'task' | 'partnership'>;
    intro: Msg<'task' | 'partnership' | 'dueDate'>;
    reminder: Msg<'n'>;
    coordinator: Msg<'coordinator'>;
    action: Msg;
  };
  stageStalled: {
    /** "14 days", with the language's plural; n is already formatted. */
    days: Msg<'n'>;
    subject: Msg<'days' | 'partnership'>;
    intro: Msg<'partnership' | 'stage' | 'since' | 'days'>;
    suggestion: Msg;
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
    linkFallback: () => 'If the button does not work, copy this link into your browser:',
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
      subject: (v) => `Escalation: no answer to ${v.subject} – ${v.partnership}`,
      intro: (v) =>
        `The approval of “${v.subject}” in the partnership “${v.partnership}” is still unanswered after every reminder. Its deadline is ${v.deadline}.`,
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
      requestApproved: () => 'With this decision, the request is approved and now closed.',
      requestRejected: () => 'With this decision, the request is rejected and now closed.',
      action: () => 'Open the partnership',
    },
    approvalExpired: {
      subject: (v) => `Approval request expired: ${v.subject} – ${v.partnership}`,
      intro: (v) =>
        `The approval request “${v.subject}” for the partnership “${v.partnership}” expired on ${v.deadline} before all decisions had been received.`,
      unanswered: (v) => `No answer was received from: ${v.names}.`,
      action: () => 'Open the partnership',
    },
    taskOverdue: {
      subject: (v) => `Overdue task (reminder ${v.n}): ${v.task} – ${v.partnership}`,
      intro: (v) =>
        `The task “${v.task}” in the partnership “${v.partnership}” was due on ${v.dueDate} and has not been marked as completed yet.`,
      reminder: (v) => `This is reminder no. ${v.n}.`,
      coordinator: (v) =>
        `If you need more time or have any questions, please contact ${v.coordinator}, who coordinates this partnership.`,
      action: () => 'Open the task',
    },
    stageStalled: {
      days: (v) => (v.n === '1' ? '1 day' : `${v.n} days`),
      subject: (v) => `No activity for ${v.days}: ${v.partnership}`,
      intro: (v) =>
        `The partnership “${v.partnership}” has had no activity in the stage “${v.stage}” since ${v.since} (${v.days}).`,
      suggestion: () => 'Please check whether the partners need support to move forward.',
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
    linkFallback: () => 'Si el botón no funciona, copie este enlace en su navegador:',
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
      subject: (v) => `Escalado: sin respuesta a ${v.subject} – ${v.partnership}`,
      intro: (v) =>
        `La aprobación de «${v.subject}» en la colaboración «${v.partnership}» sigue sin respuesta tras todos los recordatorios. El plazo vence el ${v.deadline}.`,
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
      requestApproved: () => 'Con esta decisión, la solicitud queda aprobada y cerrada.',
      requestRejected: () => 'Con esta decisión, la solicitud queda rechazada y cerrada.',
      action: () => 'Abrir la colaboración',
    },
    approvalExpired: {
      subject: (v) => `Solicitud de aprobación vencida: ${v.subject} – ${v.partnership}`,
      intro: (v) =>
        `La solicitud de aprobación de «${v.subject}» en la colaboración «${v.partnership}» venció el ${v.deadline}, sin que se hubieran recibido todas las decisiones.`,
      unanswered: (v) => `No se recibió respuesta de: ${v.names}.`,
      action: () => 'Abrir la colaboración',
    },
    taskOverdue: {
      subject: (v) => `Tarea vencida (recordatorio n.º ${v.n}): ${v.task} – ${v.partnership}`,
      intro: (v) =>
        `La tarea «${v.task}» de la colaboración «${v.partnership}» debía completarse el ${v.dueDate} y todavía no figura como completada.`,
      reminder: (v) => `Este es el recordatorio n.º ${v.n}.`,
      coordinator: (v) =>
        `Si necesita más tiempo o tiene alguna duda, póngase en contacto con ${v.coordinator}, que coordina esta colaboración.`,
      action: () => 'Abrir la tarea',
    },
    stageStalled: {
      days: (v) => (v.n === '1' ? '1 día' : `${v.n} días`),
      subject: (v) => `Sin actividad desde hace ${v.days}: ${v.partnership}`,
      intro: (v) =>
        `La colaboración «${v.partnership}» no registra actividad en la etapa «${v.stage}» desde el ${v.since} (${v.days}).`,
      suggestion: () => 'Le sugerimos comprobar si los socios necesitan apoyo para avanzar.',
      action: () => 'Abrir la colaboración',
    },
  },
  zh: {
    locale: 'zh-CN',
    greeting: (v) => `${v.name}，您好：`,
    footer: () => '此邮件由 Entente 系统自动发送，请勿直接回复。',
    deadline: (v) => `请于 ${v.deadline} 前回复。`,
    linkLine: (v) => `${v.label}：${v.url}`,
    linkFallback: () => '如果按钮无法使用，请将以下链接复制到浏览器中打开：',
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
      subject: (v) => `升级通知：${v.subject}（${v.partnership}）审批仍无回复`,
      intro: (v) =>
        `合作项目“${v.partnership}”中“${v.subject}”的审批在所有提醒之后仍无回复。审批期限为 ${v.deadline}。`,
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
      requestApproved: () => '至此，该审批请求已获批准并关闭。',
      requestRejected: () => '至此，该审批请求已被驳回并关闭。',
      action: () => '打开合作项目',
    },
    approvalExpired: {
      subject: (v) => `审批请求已过期：${v.subject}（${v.partnership}）`,
      intro: (v) =>
        `合作项目“${v.partnership}”中“${v.subject}”的审批请求已于 ${v.deadline} 过期，未能收齐全部审批决定。`,
      unanswered: (v) => `以下人员未作答复：${v.names}。`,
      action: () => '打开合作项目',
    },
    taskOverdue: {
      subject: (v) => `任务逾期提醒（第 ${v.n} 次）：${v.task}（${v.partnership}）`,
      intro: (v) =>
        `合作项目“${v.partnership}”中的任务“${v.task}”应于 ${v.dueDate} 完成，目前尚未标记为已完成。`,
      reminder: (v) => `这是第 ${v.n} 次提醒。`,
      coordinator: (v) => `如需延期或有任何疑问，请联系本合作项目的协调人 ${v.coordinator}。`,
      action: () => '打开任务',
    },
    stageStalled: {
      days: (v) => `${v.n} 天`,
      subject: (v) => `合作项目停滞提醒：${v.partnership}（${v.days}无动态）`,
      intro: (v) =>
        `合作项目“${v.partnership}”在“${v.stage}”阶段自 ${v.since} 起已 ${v.days}没有任何动态。`,
      suggestion: () => '建议您了解合作伙伴是否需要支持，以便推进工作。',
      action: () => '打开合作项目',
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Inputs

/** Fields every e-mail takes. */
export interface BaseEmailInput {
  /** The recipient's language. */
  language: Language;
  /**
   * The partnership asks for bilingual e-mails: the recipient's language first, then an English
   * copy below a separator, subject "<own> / <English>". No effect when language is 'en'.
   */
  bilingual?: boolean;
  partnershipTitle: string;
  /** IANA zone of the recipient, e.g. Europe/Madrid; dates are shown in it. */
  timeZone: string;
  /** Absolute http(s) URL to the page where the recipient acts. */
  link: string;
}

/** An e-mail about one approval request. */
interface CommonInput extends BaseEmailInput {
  /** Title of what is to be approved (the request's subject), per language when generated. */
  subjectTitle: Localized;
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
  /** The request's deadline (still ahead: escalation comes after the last reminder). */
  deadline: Date;
}

export interface DecisionEmailInput extends CommonInput {
  coordinatorName: string;
  /** What `decidedBy` decided. */
  decision: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: Date;
  /** The approver's comment; for a rejection, the reason given. Shown quoted. */
  comment?: string;
  /**
   * The request's status after this decision, when the decision closed it. Must agree with
   * `decision` (one rejection rejects a request; the last approval approves it). Leave it out
   * for a decision that leaves the request pending.
   */
  requestStatus?: 'approved' | 'rejected';
}

/** Tells the coordinator that a request reached its deadline without every decision. */
export interface ApprovalExpiredEmailInput extends CommonInput {
  coordinatorName: string;
  /** Names of the approvers who had not answered when the request expired. */
  awaiting: string[];
  /** The deadline at which the request expired. */
  deadline: Date;
}

/** Stages that can stall: every stage but the final `agreed`. */
export type StalledStage = Exclude<Stage, 'agreed'>;

/** Reminds a task's assignee (a partner contact) that the task is overdue. */
export interface TaskOverdueEmailInput extends BaseEmailInput {
  /** The assignee. */
  recipientName: string;
  /** The task's title, per language for a template task that was not renamed. */
  taskTitle: Localized;
  /** Calendar date the task was due, YYYY-MM-DD; shown as a date without time or zone. */
  dueDate: string;
  /** 1 for the first overdue reminder. */
  reminderNumber: number;
  /** Who coordinates the partnership, named as the person to contact. */
  coordinatorName: string;
}

/** Tells the coordinator that a partnership has been idle in its stage. */
export interface StageStalledEmailInput extends BaseEmailInput {
  coordinatorName: string;
  stage: StalledStage;
  /** Last activity in the stage; shown in the recipient's zone. */
  lastActivityAt: Date;
  /** Whole days without activity, as the caller counted them (at least 1). */
  idleDays: number;
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

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date (YYYY-MM-DD) in the language's words, without weekday, time or zone:
 * "3 March 2025", "3 de marzo de 2025", "2025年3月3日". It is the same day in every zone.
 */
export function formatCalendarDate(isoDate: string, language: Language): string {
  const match = ISO_DATE.exec(isoDate);
  const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : undefined;
  if (!match || !date || date.toISOString().slice(0, 10) !== isoDate)
    throw new RangeError(`expected a YYYY-MM-DD date, got ${JSON.stringify(isoDate)}`);
  return new Intl.DateTimeFormat(MESSAGES[language].locale, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(date);
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

/** `last`: the e-mail's last section, whose footer starts with the "-- " signature delimiter. */
function sectionText(section: Section, last: boolean): string {
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
          // Mail clients hide or drop what follows "-- " when quoting, so only the last
          // section's footer uses it: the English copy of a bilingual e-mail must not be lost.
          return last ? `-- \n${b.value}` : b.value;
      }
    })
    .join('\n\n');
}

/**
 * The app's look in inline styles (what e-mail clients keep): text #1b1f24 on white cards with a
 * #d0d7de border on #f5f6f8, primary #0b5cad, secondary text #57606a. Tags end on their own line
 * where another follows, so no `"><` appears outside an escaped value.
 */
const FONT =
  "system-ui,-apple-system,'Segoe UI',Roboto,Arial,'Noto Sans','Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif";
const PRIMARY = '#0b5cad';
const MUTED = '#57606a';

/** A button (a table cell, which every client paints), and the URL below it as a link that wraps. */
function linkHtml(label: string, href: string, fallback: string): string {
  const url = escapeHtml(href);
  return [
    '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px">',
    '<tr>',
    `<td style="border-radius:6px;background:${PRIMARY}">`,
    `<a href="${url}" style="display:inline-block;padding:12px 24px;font-family:${FONT};font-size:16px;font-weight:600;line-height:1.25;color:#ffffff;text-decoration:none;border-radius:6px;background:${PRIMARY}">${escapeHtml(label)}</a>`,
    '</td>',
    '</tr>',
    '</table>',
    `<p style="margin:0 0 16px;font-size:13px;line-height:1.4;color:${MUTED}">${escapeHtml(fallback)}<br>`,
    `<a href="${url}" style="color:${PRIMARY};word-break:break-all;overflow-wrap:anywhere">${url}</a></p>`,
  ].join('\n');
}

function sectionHtml(section: Section): string {
  const m = MESSAGES[section.language];
  const body = section.blocks
    .map((b) => {
      switch (b.kind) {
        case 'p':
          return `<p>${paragraphHtml(b)}</p>`;
        case 'quote':
          return `<blockquote style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #d0d7de;background:#f5f6f8;color:#1b1f24">${multilineHtml(b.value)}</blockquote>`;
        case 'link':
          return linkHtml(b.label, b.href, m.linkFallback({}));
        case 'footer':
          return `<p style="margin:16px 0 0;font-size:13px;line-height:1.4;color:${MUTED}">${escapeHtml(b.value)}</p>`;
      }
    })
    .join('\n');
  return `<div lang="${m.locale}">\n${body}\n</div>`;
}

const TEXT_SEPARATOR = '\n\n' + '-'.repeat(40) + '\n\n';

function compose(input: BaseEmailInput, build: (language: Language) => Section): RenderedEmail {
  checkCommon(input);
  const languages: Language[] =
    input.bilingual && input.language !== 'en' ? [input.language, 'en'] : [input.language];
  const sections = languages.map(build);
  const subject = sections.map((s) => s.subject).join(' / ');
  const text =
    sections.map((s, i) => sectionText(s, i === sections.length - 1)).join(TEXT_SEPARATOR) + '\n';
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${MESSAGES[input.language].locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background:#f5f6f8;color:#1b1f24">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f5f6f8">',
    '<tr>',
    '<td align="center" style="padding:24px 12px">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border:1px solid #d0d7de;border-radius:8px">',
    '<tr>',
    `<td style="padding:24px;font-family:${FONT};font-size:16px;line-height:1.5;color:#1b1f24;text-align:left">`,
    `<p style="margin:0 0 16px;font-size:14px;font-weight:700;color:${PRIMARY}">Entente</p>`,
    sections
      .map(sectionHtml)
      .join('\n<hr style="border:none;border-top:1px solid #d0d7de;margin:24px 0">\n'),
    '</td>',
    '</tr>',
    '</table>',
    '</td>',
    '</tr>',
    '</table>',
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

function checkCommon(input: BaseEmailInput): void {
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

function titles(input: CommonInput, language: Language): { subject: string; partnership: string } {
  return {
    subject: oneLine(inLanguage(input.subjectTitle, language)),
    partnership: oneLine(input.partnershipTitle),
  };
}

/** First notice to an approver that a decision is requested. */
export function renderApprovalRequestEmail(input: ApprovalRequestEmailInput): RenderedEmail {
  checkDate('deadline', input.deadline);
  return compose(input, (language) => {
    const m = MESSAGES[language];
    const vars = {
      requestedBy: input.requestedBy,
      subject: inLanguage(input.subjectTitle, language),
      partnership: input.partnershipTitle,
    };
    return {
      language,
      subject: m.approvalRequest.subject(titles(input, language)),
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
      subject: m.reminder.subject({ n, ...titles(input, language) }),
      blocks: [
        p(m.greeting, { name: input.recipientName }),
        p(m.reminder.intro, {
          n,
          requestedBy: input.requestedBy,
          subject: inLanguage(input.subjectTitle, language),
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
  return renderAwaiting(input, 'approver', (m) => ({
    ...m.escalation,
    names: m.escalation.awaiting,
  }));
}

/**
 * The coordinator's e-mails about a request that still awaits people (escalation, expiry): a
 * subject, an intro with the deadline, who is awaited, and a link.
 */
function renderAwaiting(
  input: EscalationEmailInput,
  who: string,
  pick: (m: MessageTable) => {
    subject: Msg<'subject' | 'partnership'>;
    intro: Msg<'subject' | 'partnership' | 'deadline'>;
    names: Msg<'names'>;
    action: Msg;
  },
): RenderedEmail {
  checkDate('deadline', input.deadline);
  if (input.awaiting.length === 0) throw new RangeError(`awaiting must name at least one ${who}`);
  return compose(input, (language) => {
    const m = MESSAGES[language];
    const texts = pick(m);
    const names = new Intl.ListFormat(m.locale, { type: 'conjunction' }).format(input.awaiting);
    return {
      language,
      subject: texts.subject(titles(input, language)),
      blocks: [
        p(m.greeting, { name: input.coordinatorName }),
        p(texts.intro, {
          subject: inLanguage(input.subjectTitle, language),
          partnership: input.partnershipTitle,
          deadline: formatDateTime(input.deadline, language, input.timeZone),
        }),
        p(texts.names, { names }),
        { kind: 'link', label: texts.action({}), href: input.link },
        { kind: 'footer', value: m.footer({}) },
      ],
    };
  });
}

/**
 * Tells the coordinator that an approver approved or rejected, with the approver's comment, and,
 * with `requestStatus`, that the decision closed the request as approved or rejected.
 */
export function renderDecisionEmail(input: DecisionEmailInput): RenderedEmail {
  checkDate('decidedAt', input.decidedAt);
  if (input.decision !== 'approved' && input.decision !== 'rejected')
    throw new RangeError(`unknown decision ${JSON.stringify(input.decision)}`);
  if (input.requestStatus !== undefined && input.requestStatus !== input.decision)
    throw new RangeError(
      `a ${input.decision} decision cannot close the request as ${JSON.stringify(input.requestStatus)}`,
    );
  const comment = input.comment?.trim();
  return compose(input, (language) => {
    const m = MESSAGES[language].decision;
    const approved = input.decision === 'approved';
    return {
      language,
      subject: (approved ? m.approvedSubject : m.rejectedSubject)(titles(input, language)),
      blocks: [
        p(MESSAGES[language].greeting, { name: input.coordinatorName }),
        p(approved ? m.approved : m.rejected, {
          decidedBy: input.decidedBy,
          subject: inLanguage(input.subjectTitle, language),
          partnership: input.partnershipTitle,
          decidedAt: formatDateTime(input.decidedAt, language, input.timeZone),
        }),
        ...(comment
          ? [p(m.comment, {}), { kind: 'quote', value: comment } satisfies Block]
          : [p(m.noComment, {})]),
        ...(input.requestStatus
          ? [p(input.requestStatus === 'approved' ? m.requestApproved : m.requestRejected, {})]
          : []),
        { kind: 'link', label: m.action({}), href: input.link },
        { kind: 'footer', value: MESSAGES[language].footer({}) },
      ],
    };
  });
}

/** Tells the coordinator that a request expired before every approver had answered. */
export function renderApprovalExpiredEmail(input: ApprovalExpiredEmailInput): RenderedEmail {
  return renderAwaiting(input, 'approver who had not answered', (m) => ({
    ...m.approvalExpired,
    names: m.approvalExpired.unanswered,
  }));
}

/** Reminds a task's assignee that the task is past its due date. */
export function renderTaskOverdueEmail(input: TaskOverdueEmailInput): RenderedEmail {
  if (!Number.isInteger(input.reminderNumber) || input.reminderNumber < 1)
    throw new RangeError('reminderNumber must be a positive integer');
  formatCalendarDate(input.dueDate, 'en'); // validates before anything is rendered
  return compose(input, (language) => {
    const m = MESSAGES[language];
    const n = input.reminderNumber.toLocaleString(m.locale);
    return {
      language,
      subject: m.taskOverdue.subject({
        n,
        task: oneLine(inLanguage(input.taskTitle, language)),
        partnership: oneLine(input.partnershipTitle),
      }),
      blocks: [
        p(m.greeting, { name: input.recipientName }),
        p(m.taskOverdue.intro, {
          task: inLanguage(input.taskTitle, language),
          partnership: input.partnershipTitle,
          dueDate: formatCalendarDate(input.dueDate, language),
        }),
        p(m.taskOverdue.reminder, { n }),
        p(m.taskOverdue.coordinator, { coordinator: input.coordinatorName }),
        { kind: 'link', label: m.taskOverdue.action({}), href: input.link },
        { kind: 'footer', value: m.footer({}) },
      ],
    };
  });
}

function isStalledStage(value: unknown): value is StalledStage {
  return typeof value === 'string' && isStage(value) && value !== 'agreed';
}

/** Tells the coordinator that a partnership has had no activity in its stage for a while. */
export function renderStageStalledEmail(input: StageStalledEmailInput): RenderedEmail {
  checkDate('lastActivityAt', input.lastActivityAt);
  if (!isStalledStage(input.stage))
    throw new RangeError(`no stalled-stage e-mail for stage ${JSON.stringify(input.stage)}`);
  if (!Number.isInteger(input.idleDays) || input.idleDays < 1)
    throw new RangeError('idleDays must be a positive integer');
  return compose(input, (language) => {
    const m = MESSAGES[language];
    const days = m.stageStalled.days({ n: input.idleDays.toLocaleString(m.locale) });
    return {
      language,
      subject: m.stageStalled.subject({ days, partnership: oneLine(input.partnershipTitle) }),
      blocks: [
        p(m.greeting, { name: input.coordinatorName }),
        p(m.stageStalled.intro, {
          partnership: input.partnershipTitle,
          stage: stageName(input.stage, language),
          since: formatDateTime(input.lastActivityAt, language, input.timeZone),
          days,
        }),
        p(m.stageStalled.suggestion, {}),
        { kind: 'link', label: m.stageStalled.action({}), href: input.link },
        { kind: 'footer', value: m.footer({}) },
      ],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Dispatch by kind

/** The input of each kind of e-mail. */
export interface EmailInputs {
  approvalRequest: ApprovalRequestEmailInput;
  reminder: ReminderEmailInput;
  escalation: EscalationEmailInput;
  decision: DecisionEmailInput;
  approvalExpired: ApprovalExpiredEmailInput;
  taskOverdue: TaskOverdueEmailInput;
  stageStalled: StageStalledEmailInput;
}
export type EmailKind = keyof EmailInputs;

const RENDERERS: { [K in EmailKind]: (input: EmailInputs[K]) => RenderedEmail } = {
  approvalRequest: renderApprovalRequestEmail,
  reminder: renderReminderEmail,
  escalation: renderEscalationEmail,
  decision: renderDecisionEmail,
  approvalExpired: renderApprovalExpiredEmail,
  taskOverdue: renderTaskOverdueEmail,
  stageStalled: renderStageStalledEmail,
};

export interface RenderEmailOptions {
  /**
   * The partnership's bilingual setting; overrides `input.bilingual` when given. An es or zh
   * recipient then gets their language first and an English copy below; English is unchanged.
   */
  bilingual?: boolean;
}

/**
 * Renders any kind of e-mail: `renderEmail('taskOverdue', input, { bilingual })`. The input type
 * follows the kind, so a mismatched input does not compile.
 */
export function renderEmail<K extends EmailKind>(
  kind: K,
  input: EmailInputs[K],
  options: RenderEmailOptions = {},
): RenderedEmail {
  if (!Object.hasOwn(RENDERERS, kind))
    throw new RangeError(`unknown e-mail kind ${JSON.stringify(kind)}`);
  const render: (input: EmailInputs[K]) => RenderedEmail = RENDERERS[kind];
  return render(
    options.bilingual === undefined ? input : { ...input, bilingual: options.bilingual },
  );
}
