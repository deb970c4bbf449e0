import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from '../auth/auth.decorators';
import { ListOrganisationsQuery, OrganisationPageView } from './organisations.dto';
import { OrganisationsService } from './organisations.service';

@ApiTags('organisations')
@Controller('api/v1/organisations')
export class OrganisationsController {
  constructor(private readonly service: OrganisationsService) {}

  @Get()
  @ApiOperation({
    summary: 'Organisations you may link to a new partnership, with their contacts, by name',
    description:
      'An admin sees every organisation; a coordinator or an observer those that are partners ' +
      'in a partnership they are a member of.',
  })
  @ApiOkResponse({ type: OrganisationPageView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, naming each invalid parameter' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  list(
    @Query() query: ListOrganisationsQuery,
    @CurrentUser() user: AuthUser,
  ): Promise<OrganisationPageView> {
    return this.service.list(query, user);
  }
}
