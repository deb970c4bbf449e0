import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '@libs/domain';
import type { AuthUser, UserRole } from '@libs/domain';
import { PUBLIC_ROUTE, ROLES } from './auth.decorators';
import { AuthService } from './auth.service';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in caller; set by AuthGuard on every route that is not @Public(). */
    user?: AuthUser;
  }
}

/**
 * Default deny: every route needs a valid access token or personal API token unless it is marked
 * @Public(). Routes Fastify serves itself (the OpenAPI docs) never reach Nest's guards.
 * Missing or bad credentials: 401 with `WWW-Authenticate: Bearer` (RFC 6750); a signed-in user
 * without a role the route names in @Roles(...): 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    if (context.getType() !== 'http') return false;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const authorization = request.headers.authorization;
    const user = await this.auth.authenticate(authorization);
    if (!user) {
      void http
        .getResponse<FastifyReply>()
        .header(
          'www-authenticate',
          authorization
            ? 'Bearer realm="entente", error="invalid_token"'
            : 'Bearer realm="entente"',
        );
      throw new DomainError(
        ErrorCode.UNAUTHENTICATED,
        authorization
          ? 'The token is invalid, expired or revoked'
          : 'Authentication required: send Authorization: Bearer <access token or API token>',
      );
    }
    request.user = user;
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(user.role)) {
      throw new DomainError(ErrorCode.FORBIDDEN, `Only ${roles.join(' or ')} users may do this`);
    }
    return true;
  }
}
