import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { BoardExportQuery, ListPartnershipsQuery } from '../partnerships/lifecycle.dto';
import { PartnershipAccessService, PartnershipRoute } from '../partnerships/partnership-access';
import { sendCsv } from '../platform/csv';
import { InsightView, PartnershipInsightView } from './insight.dto';
import { InsightService } from './insight.service';

const DEFINITIONS = 'Definitions in docs/analytics.md.';

@ApiTags('insight')
@Controller('api/v1')
export class InsightController {
  constructor(
    private readonly insight: InsightService,
    private readonly access: PartnershipAccessService,
  ) {}

  @Get('insight')
  @ApiOperation({
    summary: 'Insight across the partnerships the caller may see',
    description: `Over every partnership the board would list to the caller under \`stage\`, \`status\` and \`q\`: time in each stage (median and p90 of the stays that ended), each organisation's approval answer time, whom they wait on now, waiting time per side and overdue tasks; \`items\` pages the partnerships' rows (\`page\`, \`pageSize\`, default 20) in the board's order. ${DEFINITIONS}`,
  })
  @ApiOkResponse({ type: InsightView })
  @ApiBadRequestResponse({ description: 'problem+json naming each invalid filter' })
  across(
    @Query() query: ListPartnershipsQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<InsightView> {
    return this.insight.across(query, this.access.listScope(user));
  }

  @Get('insight/export.csv')
  @ApiOperation({
    summary: 'The rows of the insight as CSV',
    description:
      'Every partnership `GET /api/v1/insight` counts under the same filters (no paging), in the board’s order, one row each: the columns in docs/api.md (CSV exports). Encoded as the board’s export. Downloaded as `insight.csv`.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv; charset=utf-8', schema: { type: 'string' } })
  @ApiBadRequestResponse({ description: 'problem+json naming each invalid filter' })
  async export(
    @Query() query: BoardExportQuery,
    @CurrentUser() user: AuthUser,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendCsv(reply, 'insight.csv', await this.insight.export(query, this.access.listScope(user)));
  }

  @PartnershipRoute('read')
  @Get('partnerships/:id/insight')
  @ApiOperation({
    summary: 'One partnership’s insight',
    description: `Its row of the insight, with the stays in each stage and each organisation's answers to approval requests they are computed from. ${DEFINITIONS}`,
  })
  @ApiOkResponse({ type: PartnershipInsightView })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  one(@Param('id') id: string): Promise<PartnershipInsightView> {
    return this.insight.one(id);
  }
}
