import { Module } from '@nestjs/common';
import { PartnershipsModule } from '../partnerships/partnerships.module';
import { ApprovalLinkController } from './approval-link.controller';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsService } from './approvals.service';
import { TaskLinkController } from './task-link.controller';
import { PartnerLinksService } from './partner-links.service';
import { TaskLinksService } from './task-links.service';
import { PartnerCommentsService } from './partner-comment';

@Module({
  imports: [PartnershipsModule],
  controllers: [ApprovalsController, ApprovalLinkController, TaskLinkController],
  providers: [ApprovalsService, PartnerLinksService, TaskLinksService, PartnerCommentsService],
})
export class ApprovalsModule {}
