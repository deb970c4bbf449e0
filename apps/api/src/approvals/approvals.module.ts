import { Module } from '@nestjs/common';
import { PartnershipsModule } from '../partnerships/partnerships.module';
import { ApprovalLinkController } from './approval-link.controller';
import { ApprovalsController } from './approvals.controller';
import { ApprovalsService } from './approvals.service';

@Module({
  imports: [PartnershipsModule],
  controllers: [ApprovalsController, ApprovalLinkController],
  providers: [ApprovalsService],
})
export class ApprovalsModule {}
