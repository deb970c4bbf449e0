export { createDataSource, dataSourceOptions, entities } from './data-source';
export { OrganisationEntity } from './entities/organisation.entity';
export { OrganisationClosureEntity } from './entities/organisation-closure.entity';
export { ContactEntity } from './entities/contact.entity';
export { PartnershipEntity } from './entities/partnership.entity';
export { PartnershipEventEntity } from './entities/partnership-event.entity';
export { runMigrationsLocked } from './migrate';
export { DbModule } from './db.module';
export { PartnershipTaskEntity } from './entities/partnership-task.entity';
export {
  StageTemplateEntity,
  StageTemplateGateEntity,
  StageTemplateTaskEntity,
} from './entities/stage-template-task.entity';
export { ApprovalRequestEntity } from './entities/approval-request.entity';
export { NotificationEntity } from './entities/notification.entity';
export { WebhookEntity } from './entities/webhook.entity';
export { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
export type { WebhookDeliveryStatus } from './entities/webhook-delivery.entity';
export { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';
export { PartnershipMemberEntity } from './entities/partnership-member.entity';
export { UserEntity } from './entities/user.entity';
export { RefreshTokenEntity } from './entities/refresh-token.entity';
export { ApiTokenEntity } from './entities/api-token.entity';
export { AuditLogEntity } from './entities/audit-log.entity';
export { LoginFailureEntity } from './entities/login-failure.entity';
export { CalendarEventEntity } from './entities/calendar-event.entity';
export {
  PartnershipInsightFoldEntity,
  PartnershipInsightSideEntity,
  PartnershipInsightStayEntity,
  PartnershipInsightTurnaroundEntity,
} from './entities/partnership-insight-fold.entity';
export type { CalendarEventAttendeeRow } from './entities/calendar-event.entity';
export { ping } from './repositories/sql';
export { AdvisoryLockBusyError, withAdvisoryLock } from './repositories/advisory-lock';
export type { Query, SqlRunner } from './repositories/sql';
export { NotificationsRepository } from './repositories/notifications.repository';
export { DigestRepository } from './repositories/digest.repository';
export type {
  DigestMembershipRow,
  DigestOverdueTaskRow,
  DigestRecipientRow,
} from './repositories/digest.repository';
export type { EmailClaim } from './repositories/notifications.repository';
export { OrganisationsRepository } from './repositories/organisations.repository';
export type {
  ClosureDetail,
  ClosureRow,
  ContactRow,
  NewOrganisation,
} from './repositories/organisations.repository';
export { AuditLogRepository, recordAudit } from './repositories/audit-log.repository';
export type { AuditEntry } from './repositories/audit-log.repository';
export { UsersRepository } from './repositories/users.repository';
export { MembersRepository } from './repositories/members.repository';
export type { MemberRow } from './repositories/members.repository';
export { WebhooksRepository } from './repositories/webhooks.repository';
export type { DeliveryToSend, NewDelivery } from './repositories/webhooks.repository';
export { ApprovalsRepository } from './repositories/approvals.repository';
export type { ApprovalToFollowUp, ApprovalToMail } from './repositories/approvals.repository';
export { PartnershipsRepository } from './repositories/partnerships.repository';
export type {
  BoardFilter,
  BoardRow,
  PartnershipCalendarRow,
  PartnershipCalendarSources,
  PartnershipSnapshot,
  RecordedPartnership,
  TaskToRemind,
  WorkRow,
} from './repositories/partnerships.repository';
export { InsightRepository, INSIGHT_EVENT_TYPES } from './repositories/insight.repository';
export type {
  InsightFigures,
  InsightSelection,
  InsightSource,
  InsightSummary,
  KeptFold,
} from './repositories/insight.repository';
export { CalendarEventsRepository } from './repositories/calendar-events.repository';
export type { CalendarEventRecord } from './repositories/calendar-events.repository';
export { calendarRefreshSources } from './calendar-sources';
export { TemplatesRepository } from './repositories/templates.repository';
export type {
  TemplateVersionHeader,
  TemplateVersionRecord,
} from './repositories/templates.repository';
