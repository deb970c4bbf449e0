import { Body, Controller, Get, HttpCode, Param, Post, Put, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiProduces,
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
  KnowledgeRequestView,
  KnowledgeTopicAddedView,
  RequestKnowledgeDto,
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

  @Get(':id/knowledge/export.md')
  @PartnershipRoute('read')
  @ApiOperation({
    summary: 'The comparison as Markdown',
    description:
      'Per topic, each organisation’s contribution as written (both languages kept), with author, time (UTC), version and links; text escaped so that nothing in it becomes markup. Downloaded as `knowledge-sharing-<id>.md`.',
  })
  @ApiProduces('text/markdown')
  @ApiOkResponse({ description: 'text/markdown; charset=utf-8', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  async markdown(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    sendAttachment(
      reply,
      'text/markdown; charset=utf-8',
      id,
      'md',
      await this.knowledge.markdown(id),
    );
  }

  @Get(':id/knowledge/export.pdf')
  @PartnershipRoute('read')
  @ApiOperation({
    summary: 'The comparison as PDF',
    description:
      'The same content as the Markdown export, set in Noto Sans SC (Latin, Spanish and Simplified Chinese). Downloaded as `knowledge-sharing-<id>.pdf`.',
  })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'application/pdf', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  async pdf(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    sendAttachment(reply, 'application/pdf', id, 'pdf', await this.knowledge.pdf(id));
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

  @Post(':id/knowledge/requests')
  @PartnershipRoute('act')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask partner contacts for their contributions',
    description:
      'Each contact gets a “please share your knowledge” e-mail in their language with their own signed link to `/k/<token>` (valid 30 days), where they write their organisation’s contribution to each topic. Recorded as `knowledge.requested`; each call is a new request, and each request e-mails each contact once.',
  })
  @ApiAcceptedResponse({ type: KnowledgeRequestView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiConflictResponse({
    description: 'ASSIGNEE_NOT_A_CONTACT, PARTNERSHIP_CLOSED, PARTNERSHIP_AGREED',
  })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  request(
    @Param('id') id: string,
    @Body() body: RequestKnowledgeDto,
    @CurrentUser() user: AuthUser,
  ): Promise<KnowledgeRequestView> {
    return this.knowledge.request(actorOf(user), id, body);
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

/** An export as a download: `knowledge-sharing-<id>.<extension>` (the id is a checked UUID). */
function sendAttachment(
  reply: FastifyReply,
  type: string,
  id: string,
  extension: 'md' | 'pdf',
  body: string | Buffer,
): void {
  void reply
    .header('content-type', type)
    .header('content-disposition', `attachment; filename="knowledge-sharing-${id}.${extension}"`)
    .send(body);
}
