import { DataSource, DataSourceOptions } from 'typeorm';
import { ContactEntity } from './entities/contact.entity';
import { OrganisationEntity } from './entities/organisation.entity';
import { OrganisationClosureEntity } from './entities/organisation-closure.entity';
import { PartnershipEventEntity } from './entities/partnership-event.entity';
import { PartnershipEntity } from './entities/partnership.entity';
import { PartnershipTaskEntity } from './entities/partnership-task.entity';
import {
  StageTemplateEntity,
  StageTemplateGateEntity,
  StageTemplateTaskEntity,
} from './entities/stage-template-task.entity';
import { ApprovalRequestEntity } from './entities/approval-request.entity';
import { ApprovalRequestKeyEntity } from './entities/approval-request-key.entity';
import { NotificationEntity } from './entities/notification.entity';
import { WebhookEntity } from './entities/webhook.entity';
import { PartnershipMemberEntity } from './entities/partnership-member.entity';
import { WebhookDeliveryEntity } from './entities/webhook-delivery.entity';
import { WebhookDeliveryAttemptEntity } from './entities/webhook-delivery-attempt.entity';
import { UserEntity } from './entities/user.entity';
import { RefreshTokenEntity } from './entities/refresh-token.entity';
import { ApiTokenEntity } from './entities/api-token.entity';
import { AuditLogEntity } from './entities/audit-log.entity';
import { LoginFailureEntity } from './entities/login-failure.entity';
import { CalendarEventEntity } from './entities/calendar-event.entity';
import {
  PartnershipInsightFoldEntity,
  PartnershipInsightSideEntity,
  PartnershipInsightStayEntity,
  PartnershipInsightTurnaroundEntity,
} from './entities/partnership-insight-fold.entity';
import { migrations } from './migrations';

export const entities = [
  OrganisationEntity,
  OrganisationClosureEntity,
  ContactEntity,
  PartnershipEntity,
  PartnershipEventEntity,
  PartnershipTaskEntity,
  StageTemplateTaskEntity,
  StageTemplateEntity,
  StageTemplateGateEntity,
  ApprovalRequestEntity,
  ApprovalRequestKeyEntity,
  NotificationEntity,
  WebhookEntity,
  PartnershipMemberEntity,
  WebhookDeliveryEntity,
  WebhookDeliveryAttemptEntity,
  UserEntity,
  RefreshTokenEntity,
  ApiTokenEntity,
  AuditLogEntity,
  LoginFailureEntity,
  CalendarEventEntity,
  PartnershipInsightFoldEntity,
  PartnershipInsightStayEntity,
  PartnershipInsightTurnaroundEntity,
  PartnershipInsightSideEntity,
];

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations,
    // The schema is owned by checked-in migrations; CI fails when they drift from the entities.
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'migrations',
    extra: { max: poolSize },
  };
}

export function createDataSource(url: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(url, poolSize));
}
