import type { Language } from '../../../../libs/domain';
import { escapeHtml, formatCalendarDate } from '../../../../libs/notifications';
import { messagePage, partnerPage } from './partner-page';

/** The task page's words, per language; a missing key is a type error. */
interface TaskPageWords {
  title: string;
  intro: (who: string) => string;
  partnership: string;
  task: string;
  stage: string;
  dueDate: string;
  coordinator: string;
  doneHeading: string;
  doneComment: string;
  doneHint: string;
  done: string;
  blockedHeading: string;
  blockedReason: string;
  blockedHint: string;
  blocked: string;
  thanksDone: string;
  thanksBlocked: string;
  alreadyDone: string;
  blockAlreadyReported: string;
  ended: (status: string) => string;
  notAssigned: string;
  invalid: string;
  expired: string;
  reasonRequired: string;
  chooseAction: string;
  statuses: Record<'closed' | 'agreed', string>;
}

const WORDS: Record<Language, TaskPageWords> = {
  en: {
    title: 'Your task',
    intro: (who) => `${who}, this task of a partnership is assigned to you.`,
    partnership: 'Partnership',
    task: 'Task',
    stage: 'Stage',
    dueDate: 'Due date',
    coordinator: 'Coordinator',
    doneHeading: 'Mark the task as done',
    doneComment: 'Comment (optional)',
    doneHint: 'For example, what was agreed or where the result can be found.',
    done: 'Mark as done',
    blockedHeading: 'Something keeps the task from being done',
    blockedReason: 'What is blocking it?',
    blockedHint: 'The coordinator sees it on the partnership’s timeline.',
    blocked: 'Send',
    thanksDone:
      'Thank you: the task is marked as done. The coordinator sees it on the partnership’s timeline.',
    thanksBlocked:
      'Thank you: what is blocking the task is recorded. The coordinator sees it on the partnership’s timeline.',
    alreadyDone: 'This task is already done. Nothing was changed.',
    blockAlreadyReported: 'This was already recorded. Nothing was changed.',
    ended: (s) => `This partnership has ended (${s}). Nothing was changed.`,
    notAssigned: 'This task is no longer assigned to you. Nothing was changed.',
    invalid: 'This link is not valid. Please use the link from your e-mail exactly as it was sent.',
    expired:
      'This link has expired. Nothing was changed. Please contact the coordinator of the partnership.',
    reasonRequired: 'Please say what is blocking the task.',
    chooseAction: 'Please use one of the two buttons.',
    statuses: { closed: 'closed', agreed: 'agreed' },
  },
  es: {
    title: 'Su tarea',
    intro: (who) => `${who}, tiene asignada esta tarea de una colaboración.`,
    partnership: 'Colaboración',
    task: 'Tarea',
    stage: 'Etapa',
    dueDate: 'Fecha límite',
    coordinator: 'Coordinación',
    doneHeading: 'Marcar la tarea como completada',
    doneComment: 'Comentario (opcional)',
    doneHint: 'Por ejemplo, qué se acordó o dónde se encuentra el resultado.',
    done: 'Marcar como completada',
    blockedHeading: 'Algo impide completar la tarea',
    blockedReason: '¿Qué lo impide?',
    blockedHint: 'La coordinación lo verá en el historial de la colaboración.',
    blocked: 'Enviar',
    thanksDone:
      'Gracias: la tarea ha quedado marcada como completada. La coordinación lo verá en el historial de la colaboración.',
    thanksBlocked:
      'Gracias: ha quedado registrado lo que impide completar la tarea. La coordinación lo verá en el historial de la colaboración.',
    alreadyDone: 'Esta tarea ya está completada. No se ha cambiado nada.',
    blockAlreadyReported: 'Esto ya estaba registrado. No se ha cambiado nada.',
    ended: (s) => `Esta colaboración ha finalizado (${s}). No se ha cambiado nada.`,
    notAssigned: 'Esta tarea ya no está asignada a usted. No se ha cambiado nada.',
    invalid: 'Este enlace no es válido. Utilice el enlace de su correo tal como se envió.',
    expired:
      'Este enlace ha caducado. No se ha cambiado nada. Póngase en contacto con la coordinación de la colaboración.',
    reasonRequired: 'Indique qué impide completar la tarea.',
    chooseAction: 'Utilice uno de los dos botones.',
    statuses: { closed: 'cerrada', agreed: 'acordada' },
  },
  zh: {
    title: '您的任务',
    intro: (who) => `${who}，您好：合作项目中的以下任务已分配给您。`,
    partnership: '合作项目',
    task: '任务',
    stage: '阶段',
    dueDate: '截止日期',
    coordinator: '协调人',
    doneHeading: '将任务标记为已完成',
    doneComment: '备注（选填）',
    doneHint: '例如：达成了哪些共识，或成果存放在何处。',
    done: '标记为已完成',
    blockedHeading: '任务遇到阻碍',
    blockedReason: '是什么阻碍了任务完成？',
    blockedHint: '协调人将在合作项目的时间线上看到此信息。',
    blocked: '提交',
    thanksDone: '谢谢，任务已标记为已完成。协调人将在合作项目的时间线上看到。',
    thanksBlocked: '谢谢，任务遇到的阻碍已记录。协调人将在合作项目的时间线上看到。',
    alreadyDone: '此任务已完成。未做任何更改。',
    blockAlreadyReported: '此信息此前已记录。未做任何更改。',
    ended: (s) => `此合作项目已结束（${s}）。未做任何更改。`,
    notAssigned: '此任务已不再分配给您。未做任何更改。',
    invalid: '此链接无效。请使用邮件中的原始链接。',
    expired: '此链接已过期。未做任何更改。请联系本合作项目的协调人。',
    reasonRequired: '请说明任务遇到的阻碍。',
    chooseAction: '请使用两个按钮之一。',
    statuses: { closed: '已关闭', agreed: '已达成协议' },
  },
};

export function taskWords(language: Language): TaskPageWords {
  return WORDS[language] ?? WORDS.en;
}

export interface TaskPageInput {
  language: Language;
  contactName: string;
  partnershipTitle: string;
  /** The task's title and stage name, already in the reader's language. */
  taskTitle: string;
  stageName: string;
  /** YYYY-MM-DD, or null. */
  dueDate: string | null;
  coordinator: { name: string; email: string };
  formAction: string;
  notice?: string;
}

/** What the task is, and two forms: done (with a comment) or blocked (what blocks it). */
export function renderTaskPage(input: TaskPageInput): string {
  const w = taskWords(input.language);
  const e = escapeHtml;
  const due = input.dueDate
    ? `<dt>${e(w.dueDate)}</dt><dd>${e(formatCalendarDate(input.dueDate, input.language))}</dd>`
    : '';
  const action = e(input.formAction);
  const body = `<p>${e(w.intro(input.contactName))}</p>
${input.notice ? `<p class="alert" role="alert">${e(input.notice)}</p>` : ''}
<section class="card" aria-label="${e(w.task)}">
<dl>
<dt>${e(w.task)}</dt><dd>${e(input.taskTitle)}</dd>
<dt>${e(w.partnership)}</dt><dd>${e(input.partnershipTitle)}</dd>
<dt>${e(w.stage)}</dt><dd>${e(input.stageName)}</dd>
${due}
<dt>${e(w.coordinator)}</dt><dd><a href="mailto:${e(encodeURI(input.coordinator.email))}">${e(input.coordinator.name)}</a></dd>
</dl>
</section>
<form method="post" action="${action}" class="card" aria-labelledby="done-heading">
<h2 id="done-heading">${e(w.doneHeading)}</h2>
<input type="hidden" name="action" value="done">
<label for="done-comment">${e(w.doneComment)}</label>
<span class="hint" id="done-hint">${e(w.doneHint)}</span>
<textarea id="done-comment" name="comment" maxlength="2000" aria-describedby="done-hint"></textarea>
<div class="actions"><button type="submit">${e(w.done)}</button></div>
</form>
<form method="post" action="${action}" class="card" aria-labelledby="blocked-heading">
<h2 id="blocked-heading">${e(w.blockedHeading)}</h2>
<input type="hidden" name="action" value="blocked">
<label for="blocked-reason">${e(w.blockedReason)}</label>
<span class="hint" id="blocked-hint">${e(w.blockedHint)}</span>
<textarea id="blocked-reason" name="reason" maxlength="2000" required aria-describedby="blocked-hint"></textarea>
<div class="actions"><button type="submit" class="secondary">${e(w.blocked)}</button></div>
</form>`;
  return partnerPage(input.language, w.title, body);
}

/** One message (thanks, already done, ended, invalid or expired link) in the task page's frame. */
export function renderTaskMessagePage(
  language: Language,
  message: string,
  tone: 'status' | 'alert' = 'status',
): string {
  return messagePage(language, taskWords(language).title, message, tone);
}
