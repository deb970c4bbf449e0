import { Module } from '@nestjs/common';
import { PartnershipsModule } from '../partnerships/partnerships.module';
import { CalendarEventsController } from './calendar-events.controller';
import { PartnerLinksService } from '../approvals/partner-links.service';
import { CalendarEventsService } from './calendar-events.service';
import { EventLinkController } from './event-link.controller';

/** A partnership's events (meetings, seminars, training) and their invitations and answers. */
@Module({
  imports: [PartnershipsModule],
  controllers: [CalendarEventsController, EventLinkController],
  // The partner pages' link opening (stateless), as the approval and task pages use it.
  providers: [CalendarEventsService, PartnerLinksService],
  exports: [CalendarEventsService],
})
export class CalendarEventsModule {}
