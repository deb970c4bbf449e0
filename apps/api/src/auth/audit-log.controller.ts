import { Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { sendCsv } from '../platform/csv';
import { PageQuery } from '../partnerships/lifecycle.dto';
import { AdminController } from './auth.decorators';
import { AuditPage } from './auth.dto';
import { AuditLogService } from './audit-log.service';

@AdminController('api/v1/audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditLogService) {}

  @Get()
  @ApiOperation({
    summary: 'Changes to users and API tokens, newest first, each with who made it',
  })
  @ApiOkResponse({ type: AuditPage })
  list(@Query() query: PageQuery): Promise<AuditPage> {
    return this.audit.list(query.page, query.pageSize);
  }

  @Get('export.csv')
  @ApiOperation({
    summary: 'The whole audit log as CSV, newest first',
    description:
      'One row per entry: the columns in docs/api.md (CSV exports), the details as JSON. Encoded as the board’s export. Downloaded as `audit-log.csv`.',
  })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'text/csv; charset=utf-8', schema: { type: 'string' } })
  exportCsv(@Res() reply: FastifyReply): void {
    sendCsv(reply, 'audit-log.csv', this.audit.csv());
  }
}
