export { LANGUAGES } from '../domain/vocabulary';
export type { Language } from '../domain/vocabulary';
export { LOCALES, acceptedLanguage, isLanguage, readerLanguage } from './language';
export { MESSAGES } from './messages';
export type { Messages } from './messages';
export { escapeHtml, formatCalendarDate, formatDateTime, formatList, formatNumber } from './format';
export { inLanguage } from './emails/layout';
export type { BaseEmailInput, Localized, RenderedEmail } from './emails/layout';
export { renderApprovalRequestEmail } from './emails/approval-request';
export type { ApprovalRequestEmailInput } from './emails/approval-request';
export { renderReminderEmail } from './emails/reminder';
export type { ReminderEmailInput } from './emails/reminder';
export { renderEscalationEmail } from './emails/escalation';
export type { EscalationEmailInput } from './emails/escalation';
export { renderDecisionEmail } from './emails/decision';
export type { DecisionEmailInput } from './emails/decision';
export { renderApprovalExpiredEmail } from './emails/approval-expired';
export type { ApprovalExpiredEmailInput } from './emails/approval-expired';
export { renderTaskOverdueEmail } from './emails/task-overdue';
export type { TaskOverdueEmailInput } from './emails/task-overdue';
export { renderStageStalledEmail } from './emails/stage-stalled';
export type { StageStalledEmailInput, StalledStage } from './emails/stage-stalled';
export { renderCalendarEventEmail } from './emails/calendar-event';
export type { CalendarEventEmailInput, CalendarEventNotice } from './emails/calendar-event';
export { eventIcs } from './calendar/event-ics';
export type { EventIcsInput } from './calendar/event-ics';
export { renderKnowledgeRequestEmail } from './emails/knowledge-request';
export type { KnowledgeRequestEmailInput } from './emails/knowledge-request';
export { renderWeeklyDigestEmail, weeklyDigestCounts } from './emails/weekly-digest';
export type { WeeklyDigestEmailInput } from './emails/weekly-digest';
export { renderCommentEmail } from './emails/comment';
export type { CommentEmailInput } from './emails/comment';
export { renderEmail } from './render-email';
export type { EmailInputs, EmailKind, RenderEmailOptions } from './render-email';
export {
  createMailer,
  notificationMessageId,
  NOTIFICATION_KEY_HEADER,
  SMTP_TIMEOUTS_MS,
  SMTP_WORST_CASE_MS,
} from './mailer';
export type { Address, Mailer, MailerOptions, OutgoingEmail, SendResult } from './mailer';
