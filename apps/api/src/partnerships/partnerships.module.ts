import { PartnershipCommentsController } from './partnership-comments.controller';
import { PartnershipCommentsService } from './partnership-comments.service';
import { PartnerChangesController } from './partner-changes.controller';
import { PartnerChangesService } from './partner-changes.service';
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { PartnershipCalendarsController } from './partnership-calendars.controller';
import { MeetingSlotsService } from './meeting-slots.service';
import { MyWorkController } from './my-work.controller';
import { MyWorkService } from './my-work.service';
import { PartnershipAccessGuard, PartnershipAccessService } from './partnership-access';
import { PartnershipMembersController } from './partnership-members.controller';
import { PartnershipMembersService } from './partnership-members.service';
import { PartnershipFollowUpsController } from './partnership-follow-ups.controller';
import { PartnershipFollowUpsService } from './partnership-follow-ups.service';
import { PartnershipLifecycleController } from './partnership-lifecycle.controller';
import { PartnershipLifecycleService } from './partnership-lifecycle.service';
import { PartnershipExportsService } from './partnership-exports.service';
import { PartnershipReadService } from './partnership-read.service';
import { PartnershipUpdatesService } from './partnership-updates.service';
import { PartnershipsController } from './partnerships.controller';
import { PartnershipsService } from './partnerships.service';
import { TimelineStreamService } from './timeline-stream.service';
import { WorkingCalendarsService } from './working-calendars.service';
import { PartnershipChangesController } from './partnership-changes.controller';
import { PartnershipChangesService } from './partnership-changes.service';
import { PartnershipReopenController } from './partnership-reopen.controller';
import { PartnershipReopenService } from './partnership-reopen.service';

@Module({
  imports: [AuthModule, OrganisationsModule],
  controllers: [
    PartnershipLifecycleController,
    PartnershipFollowUpsController,
    PartnershipsController,
    PartnershipMembersController,
    MyWorkController,
    PartnershipCalendarsController,
    PartnershipChangesController,
    PartnershipReopenController,
    PartnerChangesController,
    PartnershipCommentsController,
  ],
  exports: [
    PartnershipReadService,
    PartnershipUpdatesService,
    PartnershipAccessService,
    PartnershipAccessGuard,
  ],
  providers: [
    PartnershipsService,
    PartnershipLifecycleService,
    PartnershipFollowUpsService,
    PartnershipReadService,
    PartnershipExportsService,
    PartnershipUpdatesService,
    TimelineStreamService,
    PartnershipAccessService,
    PartnershipAccessGuard,
    PartnershipMembersService,
    MyWorkService,
    WorkingCalendarsService,
    MeetingSlotsService,
    PartnershipChangesService,
    PartnershipReopenService,
    PartnerChangesService,
    PartnershipCommentsService,
  ],
})
export class PartnershipsModule {}
