import { Body, Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import {
  ChangeContactDto,
  ChangePartnershipDto,
  MoveTemplateDto,
  RemoveOrganisationDto,
} from './partnership-changes.dto';
import { PartnershipChangesService } from './partnership-changes.service';
import { PartnershipView } from './partnership.dto';
import { actorOf, PartnershipRoute } from './partnership-access';

const CONFLICT =
  'Illegal now: problem+json with a `code` (NOTHING_TO_CHANGE, PARTNERSHIP_CLOSED, PARTNERSHIP_AGREED, …); nothing changed';

export class ContactChangeView {
  @ApiProperty({ type: PartnershipView }) partnership: PartnershipView;
  @ApiProperty({
    type: [String],
    description:
      'Other running partnerships of the contact’s organisation that re-planned with the new zone or hours',
  })
  alsoChanged: string[];
  @ApiProperty({
    type: [String],
    description: 'Those that could not take it now: the same PATCH again gives it to them',
  })
  notChanged: string[];
}

/** Changes to a running partnership's own details, each recorded on its timeline. */
@ApiTags('partnerships')
@Controller('api/v1/partnerships')
export class PartnershipChangesController {
  constructor(private readonly changes: PartnershipChangesService) {}

  @PartnershipRoute('act')
  @Patch(':id')
  @ApiOperation({
    summary: 'Rename the partnership, change its areas or its coordinator',
    description:
      'One change of the fields given, all or nothing; each field that differs is one timeline event.',
  })
  @ApiOkResponse({ type: PartnershipView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiConflictResponse({ description: CONFLICT })
  change(
    @Param('id') id: string,
    @Body() body: ChangePartnershipDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.changes.changeDetails(actorOf(user), id, body);
  }

  @PartnershipRoute('act')
  @Patch(':id/contacts/:contactId')
  @ApiOperation({
    summary: 'Change a partner contact’s name, e-mail, language, time zone or working hours',
    description:
      'Their pending reminders re-plan at once in the new zone and hours, in this partnership and ' +
      'in the other running partnerships of their organisation.',
  })
  @ApiParam({ name: 'contactId', format: 'uuid' })
  @ApiOkResponse({ type: ContactChangeView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ description: 'CONTACT_NOT_FOUND' })
  @ApiConflictResponse({ description: `${CONFLICT}; EMAIL_TAKEN (a colleague’s address)` })
  changeContact(
    @Param('id') id: string,
    @Param('contactId') contactId: string,
    @Body() body: ChangeContactDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ContactChangeView> {
    return this.changes.changeContact(user, actorOf(user), id, contactId, body);
  }

  @PartnershipRoute('act')
  @Post(':id/organisations/:organisationId/remove')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Remove a partner organisation',
    description:
      'Withdraws every pending approval request that asks it and unassigns its contacts’ open tasks. ' +
      'A partnership keeps at least two partners.',
  })
  @ApiParam({ name: 'organisationId', format: 'uuid' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (a reason is required)' })
  @ApiConflictResponse({
    description: `${CONFLICT}; ORGANISATION_NOT_IN_PARTNERSHIP; TOO_FEW_ORGANISATIONS`,
  })
  removeOrganisation(
    @Param('id') id: string,
    @Param('organisationId') organisationId: string,
    @Body() body: RemoveOrganisationDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.changes.removeOrganisation(actorOf(user), id, organisationId, body);
  }

  @PartnershipRoute('act')
  @Post(':id/template')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Move the partnership to a newer version of its stage template',
    description:
      'Tasks both versions have keep their state and take the new titles and rules; open tasks the ' +
      'new version drops go (a pending request about one is withdrawn), done ones stay; new tasks ' +
      'are added to the current stage and the ones ahead; the gate rules become the new version’s. ' +
      'One timeline event, `partnership.template_changed`, lists what changed.',
  })
  @ApiOkResponse({ type: PartnershipView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ description: 'TEMPLATE_NOT_FOUND (no such version of its template)' })
  @ApiConflictResponse({
    description: `${CONFLICT}; TEMPLATE_NOT_NEWER; TEMPLATE_NOT_PUBLISHED; PARTNERSHIP_CHANGES_UNSUPPORTED`,
  })
  moveTemplate(
    @Param('id') id: string,
    @Body() body: MoveTemplateDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.changes.moveTemplate(actorOf(user), id, body);
  }
}
