import { Module } from '@nestjs/common';
import { PartnershipFollowUpsController } from './partnership-follow-ups.controller';
import { PartnershipFollowUpsService } from './partnership-follow-ups.service';
import { PartnershipLifecycleController } from './partnership-lifecycle.controller';
import { PartnershipLifecycleService } from './partnership-lifecycle.service';
import { PartnershipReadService } from './partnership-read.service';
import { PartnershipsController } from './partnerships.controller';
import { PartnershipsService } from './partnerships.service';
import { TimelineStreamService } from './timeline-stream.service';

@Module({
  controllers: [
    PartnershipLifecycleController,
    PartnershipFollowUpsController,
    PartnershipsController,
  ],
  exports: [PartnershipReadService],
  providers: [
    PartnershipsService,
    PartnershipLifecycleService,
    PartnershipFollowUpsService,
    PartnershipReadService,
    TimelineStreamService,
  ],
})
export class PartnershipsModule {}
