import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ConfigModule } from '../../../libs/config';
import { DbModule } from '../../../libs/db';
import { TemporalModule } from '../../../libs/temporal';
import { ApprovalsModule } from './approvals/approvals.module';
import { HealthModule } from './health/health.module';
import { PartnershipsModule } from './partnerships/partnerships.module';
import { ProblemFilter } from './platform/problem.filter';
import { createValidationPipe } from './platform/validation';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [
    ConfigModule,
    DbModule,
    TemporalModule,
    HealthModule,
    PartnershipsModule,
    ApprovalsModule,
    WebhooksModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class AppModule {}
