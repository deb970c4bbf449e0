import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { actorOf, PartnershipRoute } from '../partnerships/partnership-access';
import {
  AddKnowledgeTopicDto,
  KnowledgeComparisonView,
  KnowledgeContributionDto,
  KnowledgeContributionView,
  KnowledgeGateView,
  KnowledgeTopicAddedView,
  SetKnowledgeGateDto,
} from './knowledge.dto';
import { KnowledgeService } from './knowledge.service';

@ApiTags('knowledge')
@Controller('api/v1/partnerships')
export class KnowledgeController {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Get(':id/knowledge')
  @PartnershipRoute('read')
  @ApiOperation({
    summary:
      'The knowledge-sharing comparison: every topic, each organisation’s contribution side by side',
    description:
      'Each contribution is its latest revision, in the language its author wrote it in, with its links, author and time. `missing` lists the required topics an organisation has not contributed to.',
  })
  @ApiOkResponse({ type: KnowledgeComparisonView })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  comparison(@Param('id') id: string): Promise<KnowledgeComparisonView> {
    return this.knowledge.comparison(id);
  }

  @Post(':id/knowledge/topics')
  @PartnershipRoute('act')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Add a knowledge-sharing topic',
    description:
      'A topic with the title of an existing one (any case) adds nothing and answers that topic’s key with `added: false`. Recorded on the timeline as `knowledge.topic_added`.',
  })
  @ApiCreatedResponse({ type: KnowledgeTopicAddedView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiConflictResponse({
    description: 'KNOWLEDGE_TOPIC_LIMIT, PARTNERSHIP_CLOSED, PARTNERSHIP_AGREED',
  })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  addTopic(
    @Param('id') id: string,
    @Body() body: AddKnowledgeTopicDto,
    @CurrentUser() user: AuthUser,
  ): Promise<KnowledgeTopicAddedView> {
    return this.knowledge.addTopic(actorOf(user), id, body);
  }

  @Put(':id/knowledge/topics/:topicKey/contributions/:organisationId')
  @PartnershipRoute('act')
  @ApiOperation({
    summary: 'Write or edit an organisation’s contribution to a topic (as the coordinator)',
    description:
      'Each edit is a new revision (`knowledge.contributed` on the timeline, with who and when); the same text, language and links again record nothing. When every organisation has contributed to a default topic, its template task is done.',
  })
  @ApiOkResponse({ type: KnowledgeContributionView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (text, language, links)' })
  @ApiConflictResponse({ description: 'PARTNERSHIP_CLOSED, PARTNERSHIP_AGREED' })
  @ApiNotFoundResponse({
    description: 'PARTNERSHIP_NOT_FOUND, KNOWLEDGE_TOPIC_NOT_FOUND, KNOWLEDGE_NOT_A_PARTNER',
  })
  contribute(
    @Param('id') id: string,
    @Param('topicKey') topicKey: string,
    @Param('organisationId') organisationId: string,
    @Body() body: KnowledgeContributionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<KnowledgeContributionView> {
    return this.knowledge.contribute(actorOf(user), id, topicKey, organisationId, body);
  }

  @Put(':id/knowledge/gate')
  @PartnershipRoute('act')
  @ApiOperation({
    summary: 'Whether the knowledge-sharing gate asks for every contribution',
    description:
      'Off by default. On: advancing out of knowledge sharing is refused with KNOWLEDGE_CONTRIBUTIONS_MISSING while a required topic lacks an organisation’s contribution. Recorded as `knowledge.gate_changed`.',
  })
  @ApiOkResponse({ type: KnowledgeGateView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiConflictResponse({ description: 'PARTNERSHIP_CLOSED, PARTNERSHIP_AGREED' })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  setGate(
    @Param('id') id: string,
    @Body() body: SetKnowledgeGateDto,
    @CurrentUser() user: AuthUser,
  ): Promise<KnowledgeGateView> {
    return this.knowledge.setGate(actorOf(user), id, body);
  }
}
