import { Module } from '@nestjs/common';
import { PartnerLinksService } from '../approvals/partner-links.service';
import { PartnershipsModule } from '../partnerships/partnerships.module';
import { KnowledgeLinkController } from './knowledge-link.controller';
import { KnowledgeLinksService } from './knowledge-links.service';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeService } from './knowledge.service';

@Module({
  imports: [PartnershipsModule],
  controllers: [KnowledgeController, KnowledgeLinkController],
  providers: [KnowledgeService, KnowledgeLinksService, PartnerLinksService],
})
export class KnowledgeModule {}
