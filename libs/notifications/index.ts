export {
  LANGUAGES,
  MESSAGES,
  escapeHtml,
  formatDateTime,
  renderApprovalRequestEmail,
  renderReminderEmail,
  renderEscalationEmail,
  renderDecisionEmail,
} from './email-templates';
export type {
  Language,
  RenderedEmail,
  ApprovalRequestEmailInput,
  ReminderEmailInput,
  EscalationEmailInput,
  DecisionEmailInput,
} from './email-templates';
export { createMailer, notificationMessageId, NOTIFICATION_KEY_HEADER } from './mailer';
export type { Address, Mailer, MailerOptions, OutgoingEmail, SendResult } from './mailer';
