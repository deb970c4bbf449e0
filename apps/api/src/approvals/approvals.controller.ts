import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CreateApprovalDto, DelegateDto } from './approval.dto';
import { ApprovalsService, ApprovalView } from './approvals.service';

@ApiTags('approvals')
@Controller('api/v1')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Post('partnerships/:id/approvals')
  @ApiOperation({
    summary: 'Ask partner contacts to approve a task, a document or the stage gate',
    description:
      'Each approver receives an e-mail in their language with a signed link. A gate request asks every partner organisation; advancing then needs it approved (mutual consent).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ description: 'The request, pending' })
  @ApiConflictResponse({ description: 'The partnership is closed or agreed' })
  request(
    @Param('id') id: string,
    @Body() body: CreateApprovalDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<ApprovalView> {
    return this.approvals.request(id, body, idempotencyKey);
  }

  @Get('partnerships/:id/approvals')
  @ApiOperation({ summary: 'The partnership’s approval requests, oldest first' })
  list(@Param('id') id: string): Promise<ApprovalView[]> {
    return this.approvals.list(id);
  }

  @Get('approvals/:approvalId')
  @ApiOperation({ summary: 'One request: status, who decided what and when, who is still awaited' })
  @ApiOkResponse()
  @ApiNotFoundResponse()
  get(@Param('approvalId') approvalId: string): Promise<ApprovalView> {
    return this.approvals.get(approvalId);
  }

  @Post('approvals/:approvalId/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a pending request (coordinator)' })
  @ApiConflictResponse({ description: 'APPROVAL_CLOSED' })
  withdraw(@Param('approvalId') approvalId: string): Promise<ApprovalView> {
    return this.approvals.withdraw(approvalId);
  }

  @Post('approvals/:approvalId/delegate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand one approver’s part to a colleague of the same organisation' })
  @ApiConflictResponse({
    description: 'DELEGATE_NOT_IN_ORGANISATION, ALREADY_DECIDED, APPROVAL_CLOSED',
  })
  delegate(
    @Param('approvalId') approvalId: string,
    @Body() body: DelegateDto,
  ): Promise<ApprovalView> {
    return this.approvals.delegate(approvalId, body);
  }
}
