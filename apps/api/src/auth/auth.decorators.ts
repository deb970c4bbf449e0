import {
  applyDecorators,
  Controller,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthUser, UserRole } from '@libs/domain';

export const PUBLIC_ROUTE = 'entente:public';
export const ROLES = 'entente:roles';

/**
 * Opens a route to callers without credentials. Every other route needs an access token or a
 * personal API token (the global guard denies by default); opening one is explicit, here.
 * In OpenAPI the route gets `security: [{}]`, which overrides the document's bearer requirement.
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiSecurity({}));

/** Only these account roles may call the route (403 for other signed-in users). */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES, roles);

/**
 * A controller at `path` for admins only, documented under the `users` tag with its 401 and 403
 * (the user and audit-log administration).
 */
export const AdminController = (path: string): ClassDecorator =>
  applyDecorators(
    ApiTags('users'),
    ApiBearerAuth(),
    Roles('admin'),
    ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED' }),
    ApiForbiddenResponse({ description: 'FORBIDDEN: admins only' }),
    Controller(path),
  );

/** The signed-in caller, as the guard put it on the request. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser => {
    const request = context.switchToHttp().getRequest<{ user?: AuthUser }>();
    if (!request.user) throw new Error('CurrentUser on a route without an authenticated user');
    return request.user;
  },
);
