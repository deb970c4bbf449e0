import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { assertIdempotencyKey, IdempotencyKeyHeader } from '../platform/idempotency-key';
import {
  AddContactDto,
  AddOrganisationDto,
  DeactivateContactDto,
  ReactivateContactDto,
} from './partner-changes.dto';
import { PartnerChangesService } from './partner-changes.service';
import { PartnershipView } from './partnership.dto';
import { actorOf, PartnershipRoute } from './partnership-access';

const CONFLICT =
  'Illegal now: problem+json with a `code` (PARTNERSHIP_CLOSED, PARTNERSHIP_AGREED, …); nothing changed';

/** Who takes part: organisations and contacts join, contacts stop or start again. */
@ApiTags('partnerships')
@Controller('api/v1/partnerships')
export class PartnerChangesController {
  constructor(private readonly partners: PartnerChangesService) {}

  @PartnershipRoute('act')
  @Post(':id/organisations')
  @HttpCode(200)
  @IdempotencyKeyHeader()
  @ApiOperation({
    summary: 'Add a partner organisation: an existing one, or a new one with its contacts',
    description:
      'One `organisation.added` event. Its contacts take part at once (as approvers and assignees), ' +
      'with their zones and hours and the organisation’s working calendar. With the same ' +
      '`Idempotency-Key`, the organisation is added once and a retry answers the same; another ' +
      'organisation under the key, new or existing, is refused (422 IDEMPOTENCY_KEY_REUSED).',
  })
  @ApiBody({
    type: AddOrganisationDto,
    examples: {
      new: {
        summary: 'A new organisation with its first contact',
        value: {
          name: 'Chengdu Tianfu Innovation Centre',
          region: 'Sichuan',
          country: 'CN',
          kind: 'agency',
          contacts: [
            {
              name: '王芳',
              email: 'wang.fang@tianfu.example',
              language: 'zh',
              timeZone: 'Asia/Shanghai',
            },
          ],
          comment: 'Joined at the steering committee',
        },
      },
    },
  })
  @ApiOkResponse({ type: PartnershipView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ description: 'ORGANISATION_NOT_FOUND (also one you may not see)' })
  @ApiConflictResponse({
    description: `${CONFLICT}; ORGANISATION_ALREADY_IN_PARTNERSHIP (the same id, or a partner of the same name); TOO_MANY_ORGANISATIONS`,
  })
  addOrganisation(
    @Param('id') id: string,
    @Body() body: AddOrganisationDto,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<PartnershipView> {
    assertIdempotencyKey(idempotencyKey);
    return this.partners.addOrganisation(user, actorOf(user), id, body, idempotencyKey);
  }

  @PartnershipRoute('act')
  @Post(':id/organisations/:organisationId/contacts')
  @HttpCode(200)
  @IdempotencyKeyHeader()
  @ApiOperation({
    summary: 'Add a contact to a partner organisation',
    description:
      'One `contact.added` event; the contact can be asked and assigned at once, here and in the ' +
      'other running partnerships of the organisation the caller may change. With the same ' +
      '`Idempotency-Key`, the contact is added once.',
  })
  @ApiParam({ name: 'organisationId', format: 'uuid' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED' })
  @ApiConflictResponse({
    description: `${CONFLICT}; ORGANISATION_NOT_IN_PARTNERSHIP; EMAIL_TAKEN (a colleague’s address)`,
  })
  addContact(
    @Param('id') id: string,
    @Param('organisationId') organisationId: string,
    @Body() body: AddContactDto,
    @CurrentUser() user: AuthUser,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<PartnershipView> {
    assertIdempotencyKey(idempotencyKey);
    return this.partners.addContact(user, actorOf(user), id, organisationId, body, idempotencyKey);
  }

  @PartnershipRoute('act')
  @Post(':id/contacts/:contactId/deactivate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Stop a contact taking part (they left, say)',
    description:
      'The colleague named in `delegateTo` takes over the approval requests the contact has still ' +
      'to answer (each an `approval.delegated`, with an e-mail to them) and their open tasks; without ' +
      'one, their open tasks are left unassigned. They are asked and assigned nothing more here. ' +
      'One `contact.deactivated` event with the reason.',
  })
  @ApiParam({ name: 'contactId', format: 'uuid' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED; REASON_REQUIRED' })
  @ApiNotFoundResponse({ description: 'CONTACT_NOT_FOUND' })
  @ApiConflictResponse({
    description: `${CONFLICT}; CONTACT_INACTIVE; LAST_ACTIVE_CONTACT; CONTACT_HAS_PENDING_APPROVALS`,
  })
  deactivateContact(
    @Param('id') id: string,
    @Param('contactId') contactId: string,
    @Body() body: DeactivateContactDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.partners.deactivateContact(actorOf(user), id, contactId, body);
  }

  @PartnershipRoute('act')
  @Post(':id/contacts/:contactId/reactivate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Let a deactivated contact take part again',
    description: 'One `contact.reactivated` event; what they handed over stays with the colleague.',
  })
  @ApiParam({ name: 'contactId', format: 'uuid' })
  @ApiOkResponse({ type: PartnershipView })
  @ApiNotFoundResponse({ description: 'CONTACT_NOT_FOUND' })
  @ApiConflictResponse({ description: `${CONFLICT}; NOTHING_TO_CHANGE (they take part)` })
  reactivateContact(
    @Param('id') id: string,
    @Param('contactId') contactId: string,
    @Body() body: ReactivateContactDto,
    @CurrentUser() user: AuthUser,
  ): Promise<PartnershipView> {
    return this.partners.reactivateContact(actorOf(user), id, contactId, body);
  }
}
