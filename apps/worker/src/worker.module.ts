import { Module } from '@nestjs/common';
import { ConfigModule } from '../../../libs/config';
import { DbModule } from '../../../libs/db';
import { PartnershipActivitiesModule } from './partnerships/partnership-activities.module';
import { WorkerRunner } from './worker.runner';

/** The worker process: an application context (no HTTP server) whose providers feed activities. */
@Module({
  imports: [ConfigModule, DbModule, PartnershipActivitiesModule],
  providers: [WorkerRunner],
})
export class WorkerModule {}
