import { escapeHtml, formatDateTime } from '../../../../libs/notifications';
import type { Language } from '../../../../libs/domain';
import { messagePage, partnerPage } from './partner-page';

/** The approval page's words, per language; a missing key is a type error. */
const WORDS: Record<
  Language,
  {
    title: string;
    intro: (who: string) => string;
    partnership: string;
    subject: string;
    requestedBy: string;
    deadline: string;
    approve: string;
    reject: string;
    comment: string;
    commentHint: string;
    thanksApproved: string;
    thanksRejected: string;
    alreadyDecided: (outcome: string) => string;
    closed: (status: string) => string;
    invalid: string;
    expired: string;
    commentRequired: string;
    notApprover: string;
    outcomes: Record<string, string>;
  }
> = {
  en: {
    title: 'Approval request',
    intro: (who) => `${who}, your approval is requested.`,
    partnership: 'Partnership',
    subject: 'To approve',
    requestedBy: 'Requested by',
    deadline: 'Please answer by',
    approve: 'Approve',
    reject: 'Reject',
    comment: 'Comment',
    commentHint: 'Required when you reject',
    thanksApproved: 'Thank you: your approval is recorded.',
    thanksRejected:
      'Thank you: your rejection and comment are recorded. The coordinator has been told.',
    alreadyDecided: (o) => `Your answer was already recorded: ${o}. Nothing was changed.`,
    closed: (s) => `This request is closed (${s}). Nothing was changed.`,
    invalid: 'This link is not valid. Please use the link from your e-mail exactly as it was sent.',
    expired: 'This link has expired. Please ask the coordinator for a new request.',
    commentRequired: 'Please say why you reject.',
    notApprover: 'You are no longer an approver of this request. Nothing was changed.',
    outcomes: {
      approved: 'approved',
      rejected: 'rejected',
      pending: 'pending',
      withdrawn: 'withdrawn',
      expired: 'expired',
    },
  },
  es: {
    title: 'Solicitud de aprobación',
    intro: (who) => `${who}, se solicita su aprobación.`,
    partnership: 'Colaboración',
    subject: 'Para aprobar',
    requestedBy: 'Solicitado por',
    deadline: 'Responda antes de',
    approve: 'Aprobar',
    reject: 'Rechazar',
    comment: 'Comentario',
    commentHint: 'Obligatorio si rechaza',
    thanksApproved: 'Gracias: su aprobación ha quedado registrada.',
    thanksRejected:
      'Gracias: su rechazo y su comentario han quedado registrados. Se ha informado al coordinador.',
    alreadyDecided: (o) => `Su respuesta ya estaba registrada: ${o}. No se ha cambiado nada.`,
    closed: (s) => `Esta solicitud está cerrada (${s}). No se ha cambiado nada.`,
    invalid: 'Este enlace no es válido. Utilice el enlace de su correo tal como se envió.',
    expired: 'Este enlace ha caducado. Pida al coordinador una nueva solicitud.',
    commentRequired: 'Indique por qué rechaza.',
    notApprover: 'Ya no es aprobador de esta solicitud. No se ha cambiado nada.',
    outcomes: {
      approved: 'aprobada',
      rejected: 'rechazada',
      pending: 'pendiente',
      withdrawn: 'retirada',
      expired: 'caducada',
    },
  },
  zh: {
    title: '审批请求',
    intro: (who) => `${who}，您好：现请求您的审批。`,
    partnership: '合作项目',
    subject: '审批事项',
    requestedBy: '发起人',
    deadline: '请在此时间前答复',
    approve: '批准',
    reject: '拒绝',
    comment: '意见',
    commentHint: '拒绝时必填',
    thanksApproved: '谢谢，您的批准已记录。',
    thanksRejected: '谢谢，您的拒绝及意见已记录，并已通知协调人。',
    alreadyDecided: (o) => `您的答复此前已记录：${o}。未做任何更改。`,
    closed: (s) => `此请求已关闭（${s}）。未做任何更改。`,
    invalid: '此链接无效。请使用邮件中的原始链接。',
    expired: '此链接已过期。请联系协调人重新发起请求。',
    commentRequired: '请说明拒绝的理由。',
    notApprover: '您已不再是此请求的审批人。未做任何更改。',
    outcomes: {
      approved: '已批准',
      rejected: '已拒绝',
      pending: '待处理',
      withdrawn: '已撤回',
      expired: '已过期',
    },
  },
};

export type PageWords = (typeof WORDS)['en'];

export function words(language: Language): PageWords {
  return WORDS[language] ?? WORDS.en;
}

export interface ApprovalPageInput {
  language: Language;
  contactName: string;
  partnershipTitle: string;
  subjectTitle: string;
  subjectLink?: string;
  requestedBy: string;
  deadline: Date;
  timeZone: string;
  formAction: string;
  notice?: string;
}

/** The page a partner contact sees: what to approve, and two buttons. Works without JavaScript. */
export function renderApprovalPage(input: ApprovalPageInput): string {
  const w = words(input.language);
  const link = input.subjectLink
    ? `<br><a href="${escapeHtml(input.subjectLink)}" rel="noopener noreferrer">${escapeHtml(input.subjectLink)}</a>`
    : '';
  const body = `<p>${escapeHtml(w.intro(input.contactName))}</p>
${input.notice ? `<p class="alert" role="alert">${escapeHtml(input.notice)}</p>` : ''}
<section class="card" aria-label="${escapeHtml(w.subject)}">
<dl>
<dt>${escapeHtml(w.partnership)}</dt><dd>${escapeHtml(input.partnershipTitle)}</dd>
<dt>${escapeHtml(w.subject)}</dt><dd>${escapeHtml(input.subjectTitle)}${link}</dd>
<dt>${escapeHtml(w.requestedBy)}</dt><dd>${escapeHtml(input.requestedBy)}</dd>
<dt>${escapeHtml(w.deadline)}</dt><dd>${escapeHtml(formatDateTime(input.deadline, input.language, input.timeZone))}</dd>
</dl>
</section>
<form method="post" action="${escapeHtml(input.formAction)}" class="card">
<label for="comment">${escapeHtml(w.comment)}</label>
<span class="hint" id="comment-hint">${escapeHtml(w.commentHint)}</span>
<textarea id="comment" name="comment" maxlength="2000" aria-describedby="comment-hint"></textarea>
<div class="actions">
<button type="submit" name="decision" value="approve">${escapeHtml(w.approve)}</button>
<button type="submit" name="decision" value="reject" class="danger">${escapeHtml(w.reject)}</button>
</div>
</form>`;
  return partnerPage(input.language, w.title, body);
}

/** A short page with one message (thanks, already decided, invalid or expired link). */
export function renderMessagePage(
  language: Language,
  message: string,
  tone: 'status' | 'alert' = 'status',
): string {
  return messagePage(language, words(language).title, message, tone);
}
