import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser } from './auth.decorators';
import {
  AccountView,
  ApiTokenView,
  CreateApiTokenDto,
  CreatedApiTokenView,
  UpdateMeDto,
} from './auth.dto';
import { UsersService } from './users.service';
import { accountView } from './auth.service';
import { ApiTokensService } from './api-tokens.service';

@ApiTags('auth')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
@Controller('api/v1/me')
export class MeController {
  constructor(
    private readonly apiTokens: ApiTokensService,
    private readonly users: UsersService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: AccountView })
  me(@CurrentUser() user: AuthUser): AccountView {
    return accountView(user);
  }

  @Patch()
  @ApiOperation({
    summary:
      "Change the signed-in user's preferences: the web app's language, the weekly digest's time zone, whether to get the digest",
    description: 'Give at least one; what is absent stays as it is.',
  })
  @ApiOkResponse({ type: AccountView })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED (e.g. an unknown time zone)' })
  async update(@CurrentUser() user: AuthUser, @Body() dto: UpdateMeDto): Promise<AccountView> {
    return this.users.updatePreferences(user, dto);
  }

  @Post('api-tokens')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Create a personal API token',
    description:
      'For integrations: acts as you, with your role. The token is in this response only; it is ' +
      'stored hashed and cannot be shown again.',
  })
  @ApiCreatedResponse({ type: CreatedApiTokenView })
  createApiToken(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateApiTokenDto,
  ): Promise<CreatedApiTokenView> {
    return this.apiTokens.create(user, dto);
  }

  @Get('api-tokens')
  @ApiOperation({ summary: 'Your API tokens that are not revoked (never their secrets)' })
  @ApiOkResponse({ type: [ApiTokenView] })
  listApiTokens(@CurrentUser() user: AuthUser): Promise<ApiTokenView[]> {
    return this.apiTokens.list(user);
  }

  @Delete('api-tokens/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of your API tokens' })
  @ApiNoContentResponse({ description: 'Revoked: the next request with it gets 401' })
  @ApiNotFoundResponse({ description: 'API_TOKEN_NOT_FOUND' })
  revokeApiToken(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    return this.apiTokens.revoke(user, id);
  }
}
