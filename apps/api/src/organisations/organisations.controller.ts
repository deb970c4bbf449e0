import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ClosureChangeView, ClosuresView, SetClosureDto } from './closures.dto';
import { ClosuresService } from './closures.service';
import { ListOrganisationsQuery, OrganisationPageView } from './organisations.dto';
import { OrganisationsService } from './organisations.service';

const RE_PLANS =
  'The organisation’s partnerships that have not ended take their new working calendars and ' +
  'plan their pending follow-ups again before the answer (`replanned`, `notReplanned`).';

@ApiTags('organisations')
@Controller('api/v1/organisations')
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
export class OrganisationsController {
  constructor(
    private readonly service: OrganisationsService,
    private readonly closures: ClosuresService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Organisations you may link to a new partnership, with their contacts, by name',
    description:
      'An admin sees every organisation; a coordinator or an observer those that are partners ' +
      'in a partnership they are a member of.',
  })
  @ApiOkResponse({ type: OrganisationPageView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, naming each invalid parameter' })
  list(
    @Query() query: ListOrganisationsQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<OrganisationPageView> {
    return this.service.list(query, user);
  }

  @Get(':id/closures')
  @ApiOperation({
    summary: 'The organisation’s own closure days, by date',
    description:
      'Days its working calendar counts as off on top of its public holidays. Anyone who may see the organisation may read them.',
  })
  @ApiOkResponse({ type: ClosuresView })
  @ApiNotFoundResponse({ description: 'ORGANISATION_NOT_FOUND' })
  listClosures(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<ClosuresView> {
    return this.closures.list(user, id);
  }

  @Put(':id/closures/:date')
  @Roles('admin')
  @ApiOperation({
    summary: 'Close the organisation on a date (admins), or rename that closure',
    description: `Idempotent: the same closure again changes nothing. ${RE_PLANS}`,
  })
  @ApiOkResponse({ type: ClosureChangeView })
  @ApiBadRequestResponse({
    description:
      'VALIDATION_FAILED: a date that is not YYYY-MM-DD, more than a year back or three years ahead, or a blank name',
  })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not an admin' })
  @ApiNotFoundResponse({ description: 'ORGANISATION_NOT_FOUND' })
  @ApiConflictResponse({ description: 'TOO_MANY_CLOSURES' })
  setClosure(
    @Param('id') id: string,
    @Param('date') date: string,
    @Body() dto: SetClosureDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ClosureChangeView> {
    return this.closures.set(user, id, date, dto);
  }

  @Post(':id/closures/replan')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Plan the follow-ups of the organisation’s partnerships again (admins)',
    description:
      'For the partnerships a change left in `notReplanned` (a worker was down): each takes the organisation’s working calendar as it is now. Changes nothing else; any number of times.',
  })
  @ApiOkResponse({ type: ClosureChangeView })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not an admin' })
  @ApiNotFoundResponse({ description: 'ORGANISATION_NOT_FOUND' })
  replan(@Param('id') id: string, @CurrentUser() user: AuthUser): Promise<ClosureChangeView> {
    return this.closures.replan(user, id);
  }

  @Delete(':id/closures/:date')
  @Roles('admin')
  @ApiOperation({
    summary: 'Open the organisation again on a closed date (admins)',
    description: RE_PLANS,
  })
  @ApiOkResponse({ type: ClosureChangeView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: a date that is not YYYY-MM-DD' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: not an admin' })
  @ApiNotFoundResponse({ description: 'ORGANISATION_NOT_FOUND, CLOSURE_NOT_FOUND' })
  removeClosure(
    @Param('id') id: string,
    @Param('date') date: string,
    @CurrentUser() user: AuthUser,
  ): Promise<ClosureChangeView> {
    return this.closures.remove(user, id, date);
  }
}
