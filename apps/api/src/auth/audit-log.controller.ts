import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
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
}
