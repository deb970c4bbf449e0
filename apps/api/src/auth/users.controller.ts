import { Body, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { PageQuery } from '../partnerships/lifecycle.dto';
import { AdminController, CurrentUser } from './auth.decorators';
import { CreateUserDto, RevokedApiTokensView, UpdateUserDto, UserPage, UserView } from './auth.dto';
import { UsersService } from './users.service';

@AdminController('api/v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiOperation({ summary: 'Create a user (admin, coordinator or observer)' })
  @ApiCreatedResponse({ type: UserView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (e.g. a password under 12 characters)' })
  @ApiConflictResponse({ description: 'EMAIL_TAKEN' })
  create(@CurrentUser() actor: AuthUser, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Users, by e-mail' })
  @ApiOkResponse({ type: UserPage })
  list(@Query() query: PageQuery): Promise<UserPage> {
    return this.users.list(query.page, query.pageSize);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserView })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  get(@Param('id') id: string): Promise<UserView> {
    return this.users.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary:
      'Rename, change the role, disable or enable, set a new password, or set the weekly digest (time zone, on or off)',
    description:
      'Disabling a user or setting their password ends their sessions (refresh tokens) and ' +
      'revokes their API tokens. A new password also lifts every lock. The last active admin ' +
      'cannot be demoted or disabled (403).',
  })
  @ApiOkResponse({ type: UserView })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  update(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(actor, id, dto);
  }

  @Delete(':id/api-tokens')
  @ApiOperation({
    summary: 'Revoke every API token of a user',
    description:
      'For a leaked integration secret or someone leaving: each of the user’s live API tokens is ' +
      'refused from the next request on. Their sessions are left alone. Audited as ' +
      '`user.api_tokens_revoked`.',
  })
  @ApiOkResponse({ type: RevokedApiTokensView })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  revokeApiTokens(
    @CurrentUser() actor: AuthUser,
    @Param('id') id: string,
  ): Promise<RevokedApiTokensView> {
    return this.users.revokeApiTokens(actor, id);
  }
}
