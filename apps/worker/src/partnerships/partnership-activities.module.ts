import { Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, approvalLinkSecret, publicBaseUrl } from '../../../../libs/config';
import { createMailer, Mailer } from '../../../../libs/notifications';
import type { PartnershipActivities } from '../../../../workflows/partnership/partnership.activities.contract';
import { createApprovalEmailActivities } from './approval-email.activities';
import { createPartnershipActivities } from './partnership.activities';

/** Builds the partnership activities from their dependencies in DI. */
@Injectable()
export class PartnershipActivitiesFactory implements OnApplicationShutdown {
  private readonly mailer: Mailer;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {
    this.mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  }

  create(): PartnershipActivities {
    return {
      ...createPartnershipActivities(this.dataSource),
      ...createApprovalEmailActivities({
        dataSource: this.dataSource,
        mailer: this.mailer,
        linkSecret: approvalLinkSecret(this.config),
        baseUrl: publicBaseUrl(this.config),
        linkGraceHours: this.config.APPROVAL_LINK_GRACE_HOURS,
      }),
    };
  }

  onApplicationShutdown(): void {
    this.mailer.close();
  }
}

@Module({ providers: [PartnershipActivitiesFactory], exports: [PartnershipActivitiesFactory] })
export class PartnershipActivitiesModule {}
