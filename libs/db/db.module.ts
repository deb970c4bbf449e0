import { Global, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config';
import { dataSourceOptions, entities } from './data-source';
import { ApprovalsRepository } from './repositories/approvals.repository';
import { AuditLogRepository } from './repositories/audit-log.repository';
import { CalendarEventsRepository } from './repositories/calendar-events.repository';
import { InsightRepository } from './repositories/insight.repository';
import { MembersRepository } from './repositories/members.repository';
import { NotificationsRepository } from './repositories/notifications.repository';
import { OrganisationsRepository } from './repositories/organisations.repository';
import { PartnershipsRepository } from './repositories/partnerships.repository';
import { TemplatesRepository } from './repositories/templates.repository';
import { UsersRepository } from './repositories/users.repository';
import { WebhooksRepository } from './repositories/webhooks.repository';

/**
 * The one place per table family that holds its SQL: services, controllers and activities call
 * these, and none writes SQL for a table one of them owns (a lint rule keeps it so).
 */
export const REPOSITORIES = [
  ApprovalsRepository,
  AuditLogRepository,
  CalendarEventsRepository,
  InsightRepository,
  MembersRepository,
  NotificationsRepository,
  OrganisationsRepository,
  PartnershipsRepository,
  TemplatesRepository,
  UsersRepository,
  WebhooksRepository,
];

/** Each table family's repository, built over the process's one DataSource. */
const repositoryProviders: Provider[] = REPOSITORIES.map((Repository) => ({
  provide: Repository,
  useFactory: (dataSource: DataSource) => new Repository(dataSource),
  inject: [DataSource],
}));

/** TypeORM over the configured PostgreSQL; the table families' repositories are injectable. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL, config.DATABASE_POOL_SIZE),
        // Fail fast at start-up instead of retrying silently; the start script orders services.
        retryAttempts: 0,
      }),
    }),
    TypeOrmModule.forFeature(entities),
  ],
  providers: repositoryProviders,
  exports: [TypeOrmModule, ...repositoryProviders],
})
export class DbModule {}
