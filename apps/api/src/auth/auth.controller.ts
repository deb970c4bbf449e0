import { Body, Controller, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthUser } from '@libs/domain';
import { CurrentUser, Public } from './auth.decorators';
import { LoginDto, RefreshTokenDto, TokenPairView } from './auth.dto';
import { AuthService } from './auth.service';
import { loginFromRequest } from './login-request';

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
      'Returns a short-lived access token and a single-use refresh token. A wrong e-mail, a ' +
      'wrong password and a disabled account get the same answer; repeated failures from one ' +
      'address (IPv6: one /64) slow down and lock the account for a while from that address only.',
  })
  @ApiOkResponse({ type: TokenPairView })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address' })
  @ApiServiceUnavailableResponse({ description: 'SERVER_BUSY, with Retry-After' })
  login(
    @Body() dto: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairView> {
    return loginFromRequest(this.auth, dto, request, reply);
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
