import {
  ArgumentMetadata,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { DomainError, ErrorCode, FieldProblem } from '@libs/domain';

/** Flattens class-validator's tree into `organisations[0].contacts[1].email`-style field names. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = /^\d+$/.test(e.property)
      ? `${parent}[${e.property}]`
      : parent
        ? `${parent}.${e.property}`
        : e.property;
    if (e.constraints) {
      out.push({
        field,
        messages: Object.entries(e.constraints).map(([rule, message]) =>
          rule === 'whitelistValidation' ? `${field} is not an accepted field` : message,
        ),
      });
    }
    if (e.children?.length) out.push(...fieldProblems(e.children, field));
  }
  return out;
}

/**
 * The field of the first string in `value` that holds a NUL character (`\u0000`), which no text
 * column of PostgreSQL can store; undefined when there is none. `''` is the value itself.
 */
export function nulCharacterField(value: unknown, parent = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? parent : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const field = Array.isArray(value) ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;
    const found = nulCharacterField(item, field);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The validation pipe, which first refuses a NUL character in any string of a body, query or
 * path parameter (a 400 naming the field, instead of the database's 500 further on).
 */
class EntenteValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const found = nulCharacterField(value);
      if (found !== undefined) {
        const field = found || metadata.data || metadata.type;
        throw new DomainError(ErrorCode.VALIDATION_FAILED, `Invalid request: ${field}`, {
          errors: [{ field, messages: [`${field} must not contain a NUL character`] }],
        });
      }
    }
    return super.transform(value, metadata);
  }
}

/** Whitelists every body and query: unknown fields are refused, values converted to their types. */
export function createValidationPipe(): ValidationPipe {
  return new EntenteValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const problems = fieldProblems(errors);
      return new DomainError(
        ErrorCode.VALIDATION_FAILED,
        `Invalid request: ${problems.map((p) => p.field).join(', ')}`,
        { errors: problems },
      );
    },
  });
}

/**
 * The query names a handler accepts: `'dto'` when it takes the whole query (`@Query() q: Dto`,
 * which the validation pipe whitelists), else the names of its `@Query('name')` parameters.
 */
function declaredQuery(controller: object, handler: string): 'dto' | Set<string> {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<
    string,
    { data?: unknown }
  >;
  const names = new Set<string>();
  for (const [key, arg] of Object.entries(args)) {
    if (key.split(':')[0] !== String(RouteParamtypes.QUERY)) continue;
    if (typeof arg.data !== 'string') return 'dto';
    names.add(arg.data);
  }
  return names;
}

/**
 * The validation pipe only sees the query of a handler that declares one, so a route without
 * `@Query()` would silently ignore `?anything`. This refuses, on the JSON API (`/api/`), every
 * query parameter a handler does not declare. The approval page and /health are left alone:
 * mail clients and link checkers append `utm_*` and the like to links.
 */
@Injectable()
export class UndeclaredQueryInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      const query = (request.query ?? {}) as Record<string, unknown>;
      if (request.url.startsWith('/api/') && Object.keys(query).length > 0) {
        const declared = declaredQuery(context.getClass(), context.getHandler().name);
        if (declared !== 'dto') {
          const unknown = Object.keys(query).filter((name) => !declared.has(name));
          if (unknown.length > 0) {
            throw new DomainError(
              ErrorCode.VALIDATION_FAILED,
              `Invalid request: ${unknown.join(', ')}`,
              {
                errors: unknown.map((field) => ({
                  field,
                  messages: [`${field} is not an accepted field`],
                })),
              },
            );
          }
        }
      }
    }
    return next.handle();
  }
}
