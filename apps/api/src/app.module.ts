import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ConfigModule } from '@libs/config';
import { DbModule } from '@libs/db';
import { TemporalModule } from '@libs/temporal';
import { ApprovalsModule } from './approvals/approvals.module';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { CalendarEventsModule } from './calendar-events/calendar-events.module';
import { HealthModule } from './health/health.module';
import { InsightModule } from './insight/insight.module';
import { KnowledgeModule } from './knowledge/knowledge.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { PartnershipAccessGuard } from './partnerships/partnership-access';
import { PartnershipsModule } from './partnerships/partnerships.module';
import { ProblemFilter } from './platform/problem.filter';
import { createValidationPipe } from './platform/validation';
import { TemplatesModule } from './templates/templates.module';
import { WebAppModule } from './web-app/web-app.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [
    ConfigModule,
    DbModule,
    TemporalModule,
    AuthModule,
    HealthModule,
    PartnershipsModule,
    OrganisationsModule,
    ApprovalsModule,
    CalendarEventsModule,
    KnowledgeModule,
    InsightModule,
    WebhooksModule,
    TemplatesModule,
    WebAppModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
    // Default deny: every route needs credentials unless it is marked @Public().
    { provide: APP_GUARD, useExisting: AuthGuard },
    // Then, after the caller is known: may they see (404) or act on (403) the partnership named?
    { provide: APP_GUARD, useExisting: PartnershipAccessGuard },
  ],
})
export class AppModule {}
