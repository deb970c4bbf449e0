import { Module } from '@nestjs/common';
import { PartnershipLifecycleController } from './partnership-lifecycle.controller';
import { PartnershipLifecycleService } from './partnership-lifecycle.service';
import { PartnershipReadService } from './partnership-read.service';
import { PartnershipsController } from './partnerships.controller';
import { PartnershipsService } from './partnerships.service';
import { TimelineStreamService } from './timeline-stream.service';

@Module({
  controllers: [PartnershipLifecycleController, PartnershipsController],
  exports: [PartnershipReadService],
  providers: [
    PartnershipsService,
    PartnershipLifecycleService,
    PartnershipReadService,
    TimelineStreamService,
  ],
})
export class PartnershipsModule {}
