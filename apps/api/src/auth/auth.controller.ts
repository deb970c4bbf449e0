import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthUser } from '@libs/domain';
import { CurrentUser, Public } from './auth.decorators';
import { LoginDto, RefreshTokenDto, TokenPairView } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('auth')
@Controller('api/v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Log in with e-mail and password',
    description:
      'Returns a short-lived access token and a single-use refresh token. A wrong e-mail and a ' +
      'wrong password get the same answer; repeated failures slow down and lock the account for a while.',
  })
  @ApiOkResponse({ type: TokenPairView })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address' })
  login(@Body() dto: LoginDto): Promise<TokenPairView> {
    return this.auth.login(dto.email, dto.password);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair',
    description:
      'The refresh token is used up. Presenting a used one again revokes its whole family (every ' +
      'token descended from the same login), since one of its holders is not its owner.',
  })
  @ApiOkResponse({ type: TokenPairView })
  @ApiUnauthorizedResponse({ description: 'REFRESH_TOKEN_INVALID' })
  refresh(@Body() dto: RefreshTokenDto): Promise<TokenPairView> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End the session of this refresh token (its whole family)' })
  @ApiNoContentResponse({ description: 'Done (also when the token was unknown or already ended)' })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' })
  logout(@CurrentUser() user: AuthUser, @Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(user, dto.refreshToken);
  }
}
