import { Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, approvalLinkSecret, publicBaseUrl } from '@libs/config';
import { createMailer, Mailer } from '@libs/notifications';
import { TemporalClient } from '@libs/temporal';
import type { CalendarEventActivities } from '@workflows/calendar-events/calendar-event.contract';
import type { CalendarRefreshActivities } from '@workflows/calendars/calendar-refresh.contract';
import type { WeeklyDigestActivities } from '@workflows/digest/weekly-digest.contract';
import type { PartnershipActivities } from '@workflows/partnership/partnership.activities.contract';
import {
  WebhookActivitiesFactory,
  WebhookActivitiesModule,
} from '../webhooks/webhook-activities.module';
import { createCalendarEventActivities } from '../calendar-events/calendar-event.activities';
import { createWeeklyDigestActivities } from '../digest/weekly-digest.activities';
import { createApprovalEmailActivities } from './approval-email.activities';
import { createCalendarRefreshActivities } from './calendar-refresh.activities';
import { createFollowUpEmailActivities } from './follow-up-email.activities';
import { createKnowledgeEmailActivities } from './knowledge-email.activities';
import { createPartnershipActivities } from './partnership.activities';

/** Builds the partnership activities from their dependencies in DI. */
@Injectable()
export class PartnershipActivitiesFactory implements OnApplicationShutdown {
  private readonly mailer: Mailer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly webhooks: WebhookActivitiesFactory,
    private readonly temporal: TemporalClient,
  ) {
    this.mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  }

  /**
   * The partnership activities, and those of the event workflows (same queue, same mailer) and of
   * the daily calendar refresh and the weekly digest (same queue, the digest the same mailer).
   */
  create(): PartnershipActivities &
    CalendarEventActivities &
    CalendarRefreshActivities &
    WeeklyDigestActivities {
    const emailDeps = {
      dataSource: this.dataSource,
      mailer: this.mailer,
      linkSecret: approvalLinkSecret(this.config),
      baseUrl: publicBaseUrl(this.config),
      linkGraceHours: this.config.APPROVAL_LINK_GRACE_HOURS,
    };
    return {
      ...createPartnershipActivities(this.dataSource, this.webhooks.outbox),
      ...createApprovalEmailActivities(emailDeps),
      ...createFollowUpEmailActivities(emailDeps),
      ...createCalendarEventActivities({ ...emailDeps, temporal: this.temporal }),
      ...createKnowledgeEmailActivities(emailDeps),
      ...createCalendarRefreshActivities({
        dataSource: this.dataSource,
        temporal: this.temporal,
        callTimeoutMs: this.config.TEMPORAL_CALL_TIMEOUT_MS,
      }),
      ...createWeeklyDigestActivities({
        dataSource: this.dataSource,
        mailer: this.mailer,
        baseUrl: emailDeps.baseUrl,
        digestAt: this.config.DIGEST_AT,
        defaultZone: this.config.COORDINATOR_TIME_ZONE,
        defaultLanguage: this.config.COORDINATOR_LANGUAGE,
      }),
    };
  }

  onApplicationShutdown(): void {
    this.mailer.close();
  }
}

@Module({
  imports: [WebhookActivitiesModule],
  providers: [PartnershipActivitiesFactory],
  exports: [PartnershipActivitiesFactory],
})
export class PartnershipActivitiesModule {}
