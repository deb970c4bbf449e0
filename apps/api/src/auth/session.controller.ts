import { Body, Controller, Delete, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '@libs/config';
import { DomainError, ErrorCode } from '@libs/domain';
import { Public } from './auth.decorators';
import { LoginDto, SessionView, TokenPairView } from './auth.dto';
import { AuthService } from './auth.service';
import { loginFromRequest } from './login-request';
import {
  clearedSessionCookie,
  SESSION_CSRF_HEADER,
  sessionCookie,
  sessionCookieOf,
} from './session-cookie';

/**
 * The web app's sessions. The refresh token never reaches a script: it travels in an httpOnly,
 * Secure, SameSite=Strict cookie scoped to these routes, and the access token is kept in memory
 * only. Refresh and logout also need the `X-Entente-Session` header, which a cross-site form
 * cannot send and a cross-origin script cannot send without a CORS preflight the API refuses.
 */
@ApiTags('auth')
@Controller('api/v1/auth/session')
export class SessionController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Post()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Sign in to the web app',
    description:
      'As POST /auth/login, but the refresh token is set as an httpOnly cookie and left out of the body.',
  })
  @ApiOkResponse({ type: SessionView })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts from this address' })
  @ApiServiceUnavailableResponse({ description: 'SERVER_BUSY, with Retry-After' })
  async create(
    @Body() dto: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionView> {
    return this.answer(reply, await loginFromRequest(this.auth, dto, request, reply));
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiHeader({ name: SESSION_CSRF_HEADER, required: true, example: '1' })
  @ApiOperation({
    summary: "Renew the web app's access token from the session cookie",
    description: 'The cookie is rotated; presenting a used one again ends the whole session.',
  })
  @ApiOkResponse({ type: SessionView })
  @ApiNoContentResponse({ description: 'No session cookie: nobody is signed in on this browser' })
  @ApiUnauthorizedResponse({ description: 'REFRESH_TOKEN_INVALID' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: the X-Entente-Session header is missing' })
  async refresh(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionView | undefined> {
    requireSessionHeader(request);
    const token = sessionCookieOf(request.headers.cookie);
    // No cookie at all: nobody signed in on this browser, which is no error (the app asks at
    // every start). A cookie that does not work is one: 401.
    if (!token) {
      void reply.code(204);
      return undefined;
    }
    try {
      return this.answer(reply, await this.auth.refresh(token));
    } catch (err) {
      // Only a cookie that no longer works goes: a passing failure (the database away for a
      // moment) must not sign the browser out.
      if (err instanceof DomainError && err.code === ErrorCode.REFRESH_TOKEN_INVALID) {
        reply.header('set-cookie', clearedSessionCookie());
      }
      throw err;
    }
  }

  @Public()
  @Delete()
  @HttpCode(204)
  @ApiHeader({ name: SESSION_CSRF_HEADER, required: true, example: '1' })
  @ApiOperation({ summary: 'Log out of the web app: ends the session and clears its cookie' })
  @ApiNoContentResponse({ description: 'Done (also when there was no session)' })
  @ApiForbiddenResponse({ description: 'FORBIDDEN: the X-Entente-Session header is missing' })
  async remove(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    requireSessionHeader(request);
    const token = sessionCookieOf(request.headers.cookie);
    if (token) await this.auth.endSession(token);
    reply.header('set-cookie', clearedSessionCookie());
  }

  private answer(reply: FastifyReply, pair: TokenPairView): SessionView {
    reply.header(
      'set-cookie',
      sessionCookie(pair.refreshToken, this.config.AUTH_REFRESH_TOKEN_TTL_DAYS * 86_400),
    );
    return {
      accessToken: pair.accessToken,
      tokenType: pair.tokenType,
      expiresIn: pair.expiresIn,
      user: pair.user,
    };
  }
}

function requireSessionHeader(request: FastifyRequest): void {
  if (request.headers[SESSION_CSRF_HEADER] !== '1') {
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      `The ${SESSION_CSRF_HEADER} header must be 1 on this route`,
    );
  }
}
