export {
  LANGUAGES,
  MESSAGES,
  escapeHtml,
  formatCalendarDate,
  formatDateTime,
  renderApprovalRequestEmail,
  renderReminderEmail,
  renderEscalationEmail,
  renderDecisionEmail,
  renderApprovalExpiredEmail,
  renderTaskOverdueEmail,
  renderStageStalledEmail,
  renderEmail,
} from './email-templates';
export type {
  Language,
  RenderedEmail,
  BaseEmailInput,
  ApprovalRequestEmailInput,
  ReminderEmailInput,
  EscalationEmailInput,
  DecisionEmailInput,
  ApprovalExpiredEmailInput,
  TaskOverdueEmailInput,
  StageStalledEmailInput,
  StalledStage,
  EmailInputs,
  EmailKind,
  RenderEmailOptions,
} from './email-templates';
export { createMailer, notificationMessageId, NOTIFICATION_KEY_HEADER } from './mailer';
export type { Address, Mailer, MailerOptions, OutgoingEmail, SendResult } from './mailer';
