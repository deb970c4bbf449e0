import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FollowUpPolicy } from '@libs/domain';
import type { FollowUpsView } from '@workflows/partnership/partnership.contract';
import {
  FollowUpPlanView,
  FollowUpPolicyPatchDto,
  FollowUpPolicyView,
} from './follow-up-policy.dto';
import { PartnershipFollowUpsService } from './partnership-follow-ups.service';

import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { actorOf, PartnershipRoute } from './partnership-access';

@ApiTags('follow-ups')
@Controller('api/v1/partnerships')
export class PartnershipFollowUpsController {
  constructor(private readonly followUps: PartnershipFollowUpsService) {}

  @Get(':id/follow-ups')
  @PartnershipRoute('read')
  @ApiOperation({
    summary: 'What will be sent, to whom and when: the partnership’s planned follow-ups',
    description:
      '`planned` lists, earliest first, the next reminder for each approver who has not answered ' +
      'a pending request, the escalation to the coordinator once a request’s reminders are all ' +
      'sent, the next reminder for each overdue assigned task and the stalled-stage reminder. ' +
      'Every `at` is an instant in UTC that falls inside the recipient’s working hours in their ' +
      'own time zone. Computed from the workflow’s live state, so a change of policy, a snooze ' +
      'or a moved deadline shows at once. Nothing is planned for a closed or agreed partnership.',
  })
  @ApiOkResponse({ type: FollowUpPlanView })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  @ApiServiceUnavailableResponse({ description: 'The workflow did not answer in time' })
  plan(@Param('id') id: string): Promise<FollowUpsView> {
    return this.followUps.plan(id);
  }

  @Patch(':id/follow-up-policy')
  @PartnershipRoute('act')
  @ApiOperation({
    summary: 'Change the partnership’s follow-up policy',
    description:
      'The body is a patch: give at least one field; what is left out keeps its value. Pending ' +
      'follow-ups are planned again at once (see GET …/follow-ups). Approval requests with their ' +
      'own `reminderPolicy` keep it. Recorded on the timeline as `reminder_policy.changed`.',
  })
  @ApiOkResponse({ type: FollowUpPolicyView, description: 'The new policy' })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED: `errors` names each field, e.g. `approvals.maxReminders`',
  })
  @ApiConflictResponse({ description: 'PARTNERSHIP_CLOSED, PARTNERSHIP_AGREED' })
  @ApiNotFoundResponse({ description: 'PARTNERSHIP_NOT_FOUND' })
  setPolicy(
    @Param('id') id: string,
    @Body() body: FollowUpPolicyPatchDto,
    @CurrentUser() user: AuthUser,
  ): Promise<FollowUpPolicy> {
    return this.followUps.setPolicy(actorOf(user), id, body);
  }
}
