import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { IdempotencyKeyHeader } from '../platform/idempotency-key';
import {
  ApprovalPageView,
  ApprovalRequestView,
  CreateApprovalDto,
  DelegateDto,
  ReviseApprovalDto,
} from './approval.dto';
import { ApprovalPage, ApprovalsService, ApprovalView } from './approvals.service';
import { PageQuery } from '../partnerships/lifecycle.dto';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { actorOf, ApprovalRoute, PartnershipRoute } from '../partnerships/partnership-access';

@ApiTags('approvals')
@Controller('api/v1')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Post('partnerships/:id/approvals')
  @PartnershipRoute('act')
  @ApiOperation({
    summary: 'Ask partner contacts to approve a task, a document or the stage gate',
    description:
      'Each approver receives an e-mail in their language with a signed link. A gate request asks every partner organisation; advancing then needs it approved (mutual consent).',
  })
  @IdempotencyKeyHeader()
  @ApiCreatedResponse({ type: ApprovalRequestView, description: 'The request, pending' })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED (the body), INVALID_APPROVAL_REQUEST (deadline, approvers, reminder policy)',
  })
  @ApiConflictResponse({ description: 'The partnership is closed or agreed' })
  request(
    @Param('id') id: string,
    @Body() body: CreateApprovalDto,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<ApprovalView> {
    return this.approvals.request(actorOf(user), id, body, idempotencyKey);
  }

  @Get('partnerships/:id/approvals')
  @PartnershipRoute('read')
  @ApiOperation({ summary: 'The partnership’s approval requests, oldest first, paged' })
  @ApiOkResponse({ type: ApprovalPageView })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  list(@Param('id') id: string, @Query() query: PageQuery): Promise<ApprovalPage> {
    return this.approvals.list(id, query);
  }

  @Get('approvals/:approvalId')
  @ApprovalRoute('read')
  @ApiOperation({
    summary: 'One request: status, who decided what and when, who is still awaited',
    description:
      'With its follow-ups: its own `reminderPolicy` (null follows the partnership’s), ' +
      '`snoozedUntil`, `escalatedAt`, and for each approver the `reminders` sent to them.',
  })
  @ApiOkResponse({ type: ApprovalRequestView })
  @ApiNotFoundResponse({ description: 'APPROVAL_NOT_FOUND' })
  get(@Param('approvalId') approvalId: string): Promise<ApprovalView> {
    return this.approvals.get(approvalId);
  }

  @Patch('approvals/:approvalId')
  @ApprovalRoute('act')
  @ApiOperation({
    summary: 'Move the deadline, set the reminder policy, or snooze a pending request',
    description:
      'Give at least one of `deadline`, `reminderPolicy`, `snoozedUntil`. Its planned reminders ' +
      'change at once (see GET /api/v1/partnerships/{id}/follow-ups): none before `snoozedUntil`, ' +
      'none at or after the deadline. Recorded as `approval.revised` or `approval.snoozed`.',
  })
  @ApiOkResponse({ type: ApprovalRequestView })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED (unknown field, malformed value) or INVALID_APPROVAL_REQUEST (nothing ' +
      'to change, deadline in the past, snooze not in the future or not before the deadline, ' +
      'invalid policy); `errors` names the fields',
  })
  @ApiConflictResponse({ description: 'APPROVAL_CLOSED: the request is no longer pending' })
  @ApiNotFoundResponse({ description: 'APPROVAL_NOT_FOUND' })
  revise(
    @Param('approvalId') approvalId: string,
    @Body() body: ReviseApprovalDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ApprovalView> {
    return this.approvals.revise(actorOf(user), approvalId, body);
  }

  @Post('approvals/:approvalId/withdraw')
  @ApprovalRoute('act')
  @HttpCode(200)
  @ApiOperation({ summary: 'Withdraw a pending request (coordinator)' })
  @ApiOkResponse({ type: ApprovalRequestView })
  @ApiConflictResponse({ description: 'APPROVAL_CLOSED' })
  withdraw(
    @Param('approvalId') approvalId: string,
    @CurrentUser() user: AuthUser,
  ): Promise<ApprovalView> {
    return this.approvals.withdraw(actorOf(user), approvalId);
  }

  @Post('approvals/:approvalId/delegate')
  @ApprovalRoute('act')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Hand one approver’s part to a colleague of the same organisation',
    description: 'The colleague’s reminders follow their own time zone and working hours.',
  })
  @ApiOkResponse({ type: ApprovalRequestView })
  @ApiConflictResponse({
    description: 'DELEGATE_NOT_IN_ORGANISATION, ALREADY_DECIDED, APPROVAL_CLOSED',
  })
  delegate(
    @Param('approvalId') approvalId: string,
    @Body() body: DelegateDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ApprovalView> {
    return this.approvals.delegate(actorOf(user), approvalId, body);
  }
}
