import { Module } from '@nestjs/common';
import { ConfigModule } from '@libs/config';
import { DbModule } from '@libs/db';
import { TemporalModule } from '@libs/temporal';
import { PartnershipActivitiesModule } from './partnerships/partnership-activities.module';
import { WebhookActivitiesModule } from './webhooks/webhook-activities.module';
import { WorkerRunner } from './worker.runner';

/**
 * The worker process: an application context (no HTTP server) whose providers feed activities.
 * Its Temporal client (besides the worker's own connection) starts webhook delivery workflows.
 */
@Module({
  imports: [
    ConfigModule,
    DbModule,
    TemporalModule,
    PartnershipActivitiesModule,
    WebhookActivitiesModule,
  ],
  providers: [WorkerRunner],
})
export class WorkerModule {}
