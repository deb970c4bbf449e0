import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode } from '@libs/domain';
import { redactUrl } from './security';

/** RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  [extension: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The code of an unexpected error: a 500 whose details only the log has (under its errorId). */
export const INTERNAL_ERROR = 'INTERNAL_ERROR';

/**
 * The one mapping from error code to HTTP status. Exhaustive: the type names every code, so a new
 * code that is not mapped here fails the build.
 */
const STATUS_OF_CODE: { readonly [C in ErrorCode]: HttpStatus } = {
  [ErrorCode.VALIDATION_FAILED]: HttpStatus.BAD_REQUEST,
  [ErrorCode.REASON_REQUIRED]: HttpStatus.BAD_REQUEST,
  [ErrorCode.INVALID_DUE_DATE]: HttpStatus.BAD_REQUEST,
  [ErrorCode.COMMENT_REQUIRED]: HttpStatus.BAD_REQUEST,
  [ErrorCode.COMMENT_TOO_LONG]: HttpStatus.BAD_REQUEST,
  [ErrorCode.INVALID_APPROVAL_REQUEST]: HttpStatus.BAD_REQUEST,
  [ErrorCode.APPROVAL_LINK_INVALID]: HttpStatus.BAD_REQUEST,
  // Who you are: missing, expired, tampered or revoked credentials; never says which.
  [ErrorCode.UNAUTHENTICATED]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.INVALID_CREDENTIALS]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.REFRESH_TOKEN_INVALID]: HttpStatus.UNAUTHORIZED,
  // Known, and may see the partnership, but may not do this.
  [ErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ErrorCode.PARTNERSHIP_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.ORGANISATION_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.ROUTE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.APPROVAL_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.WEBHOOK_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.USER_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.API_TOKEN_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.MEMBER_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.CLOSURE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.TOO_MANY_CLOSURES]: HttpStatus.CONFLICT,
  [ErrorCode.CALENDAR_EVENT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.TEMPLATE_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.TEMPLATE_PUBLISHED]: HttpStatus.CONFLICT,
  [ErrorCode.TEMPLATE_INVALID]: HttpStatus.CONFLICT,
  [ErrorCode.TEMPLATE_DRAFT_EXISTS]: HttpStatus.CONFLICT,
  [ErrorCode.EMAIL_TAKEN]: HttpStatus.CONFLICT,
  [ErrorCode.APPROVAL_CLOSED]: HttpStatus.CONFLICT,
  [ErrorCode.NOT_AN_APPROVER]: HttpStatus.CONFLICT,
  [ErrorCode.ALREADY_DECIDED]: HttpStatus.CONFLICT,
  [ErrorCode.DELEGATE_NOT_IN_ORGANISATION]: HttpStatus.CONFLICT,
  [ErrorCode.GATE_CONSENT_MISSING]: HttpStatus.CONFLICT,
  // Illegal now, given the partnership's state: 409 with the code and what blocks.
  [ErrorCode.TASK_NOT_FOUND]: HttpStatus.CONFLICT,
  [ErrorCode.PARTNERSHIP_CLOSED]: HttpStatus.CONFLICT,
  [ErrorCode.PARTNERSHIP_AGREED]: HttpStatus.CONFLICT,
  [ErrorCode.PARTNERSHIP_PAUSED]: HttpStatus.CONFLICT,
  [ErrorCode.PARTNERSHIP_NOT_PAUSED]: HttpStatus.CONFLICT,
  [ErrorCode.PARTNERSHIP_NOT_CLOSED]: HttpStatus.CONFLICT,
  [ErrorCode.PARTNERSHIP_REOPEN_UNSUPPORTED]: HttpStatus.CONFLICT,
  [ErrorCode.GATE_TASKS_OPEN]: HttpStatus.CONFLICT,
  [ErrorCode.NO_PREVIOUS_STAGE]: HttpStatus.CONFLICT,
  [ErrorCode.TASK_ALREADY_DONE]: HttpStatus.CONFLICT,
  [ErrorCode.TASK_NOT_DONE]: HttpStatus.CONFLICT,
  [ErrorCode.TASK_STAGE_PASSED]: HttpStatus.CONFLICT,
  [ErrorCode.ASSIGNEE_NOT_A_CONTACT]: HttpStatus.CONFLICT,
  [ErrorCode.NOTHING_TO_CHANGE]: HttpStatus.CONFLICT,
  [ErrorCode.TASK_NOT_ASSIGNED]: HttpStatus.CONFLICT,
  [ErrorCode.TASK_NEEDS_APPROVAL]: HttpStatus.CONFLICT,
  [ErrorCode.CALENDAR_EVENT_CANCELLED]: HttpStatus.CONFLICT,
  [ErrorCode.CALENDAR_EVENT_STARTED]: HttpStatus.CONFLICT,
  [ErrorCode.NOT_AN_ATTENDEE]: HttpStatus.CONFLICT,
  [ErrorCode.KNOWLEDGE_CONTRIBUTIONS_MISSING]: HttpStatus.CONFLICT,
  [ErrorCode.KNOWLEDGE_TOPIC_LIMIT]: HttpStatus.CONFLICT,
  [ErrorCode.KNOWLEDGE_TOPIC_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.KNOWLEDGE_NOT_A_PARTNER]: HttpStatus.NOT_FOUND,
  [ErrorCode.CONTACT_NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.ORGANISATION_NOT_IN_PARTNERSHIP]: HttpStatus.CONFLICT,
  [ErrorCode.TOO_FEW_ORGANISATIONS]: HttpStatus.CONFLICT,
  [ErrorCode.ORGANISATION_ALREADY_IN_PARTNERSHIP]: HttpStatus.CONFLICT,
  [ErrorCode.TOO_MANY_ORGANISATIONS]: HttpStatus.CONFLICT,
  [ErrorCode.CONTACT_INACTIVE]: HttpStatus.CONFLICT,
  [ErrorCode.LAST_ACTIVE_CONTACT]: HttpStatus.CONFLICT,
  [ErrorCode.CONTACT_HAS_PENDING_APPROVALS]: HttpStatus.CONFLICT,
  [ErrorCode.PARTNERSHIP_CHANGES_UNSUPPORTED]: HttpStatus.CONFLICT,
  [ErrorCode.TEMPLATE_NOT_NEWER]: HttpStatus.CONFLICT,
  [ErrorCode.TEMPLATE_KEY_DIFFERS]: HttpStatus.CONFLICT,
  [ErrorCode.TEMPLATE_NOT_PUBLISHED]: HttpStatus.CONFLICT,
  // The workflow has ended under a running partnership; it will not come back by itself, so
  // a retry cannot succeed (see docs/api.md).
  [ErrorCode.PARTNERSHIP_WORKFLOW_ENDED]: HttpStatus.CONFLICT,
  [ErrorCode.APPROVAL_LINK_EXPIRED]: HttpStatus.GONE,
  [ErrorCode.PAYLOAD_TOO_LARGE]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: HttpStatus.UNPROCESSABLE_ENTITY,
  // A well-formed URL whose destination the address rule refuses.
  [ErrorCode.WEBHOOK_URL_REFUSED]: HttpStatus.UNPROCESSABLE_ENTITY,
  [ErrorCode.TOO_MANY_REQUESTS]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.DEPENDENCY_UNAVAILABLE]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.SERVER_BUSY]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.TOO_MANY_OPEN_APPROVALS]: HttpStatus.CONFLICT,
};

export function statusOf(code: ErrorCode): number {
  const status = STATUS_OF_CODE[code] as HttpStatus | undefined;
  // Only a code from outside the type (a cast, a deserialised value) can miss.
  if (status === undefined) throw new Error(`unmapped error code ${String(code)}`);
  return status;
}

/** Framework errors (routing, body parsing) that reach us as HttpExceptions. */
const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.VALIDATION_FAILED,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  429: ErrorCode.TOO_MANY_REQUESTS,
  404: ErrorCode.ROUTE_NOT_FOUND,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
};

function problemType(code: string): string {
  return `https://entente.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`;
}

/** Fastify's own client errors (body parsing, size, media type) arrive as errors with a code. */
function fastifyClientError(error: unknown): { code: ErrorCode; message: string } | undefined {
  if (!(error instanceof Error) || !('code' in error)) return undefined;
  switch ((error as { code?: string }).code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: ErrorCode.PAYLOAD_TOO_LARGE, message: 'Request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: ErrorCode.UNSUPPORTED_MEDIA_TYPE, message: 'Send application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { code: ErrorCode.VALIDATION_FAILED, message: 'Request body is not valid JSON' };
    default:
      return undefined;
  }
}

/** The problem for a domain error code: its status, with the error's own details after. */
function problemOf(
  code: ErrorCode,
  detail: string,
  instance: string,
  details?: Record<string, unknown>,
): Problem {
  const status = statusOf(code);
  return {
    type: problemType(code),
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance,
    code,
    ...details,
  };
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception, request);
    // A problem that says when to try again (`retryAfterSeconds`) says it in the header too.
    if (typeof problem.retryAfterSeconds === 'number') {
      void reply.header('retry-after', String(problem.retryAfterSeconds));
    }
    void reply
      .status(problem.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(problem);
  }

  toProblem(exception: unknown, request: FastifyRequest): Problem {
    const instance = request.url;
    if (exception instanceof DomainError) {
      return problemOf(exception.code, exception.message, instance, exception.details);
    }
    const fastifyError = fastifyClientError(exception);
    if (fastifyError) return problemOf(fastifyError.code, fastifyError.message, instance);
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const code = HTTP_STATUS_CODES[status] ?? `HTTP_${status}`;
      return {
        type: problemType(code),
        title: TITLES[status] ?? 'Error',
        status,
        detail:
          status === 404
            ? `No route ${request.method} ${request.url}`
            : status === 400
              ? 'Request body is not valid JSON'
              : exception.message,
        instance,
        code,
      };
    }
    // Unexpected: the client gets an id to quote, the log gets the error; never a stack or SQL.
    const errorId = randomUUID();
    this.logger.error(
      `errorId=${errorId} ${request.method} ${redactUrl(request.url)}: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`,
    );
    return {
      type: problemType(INTERNAL_ERROR),
      title: TITLES[500],
      status: 500,
      detail: 'An unexpected error occurred. Quote the errorId when reporting it.',
      instance,
      code: INTERNAL_ERROR,
      errorId,
    };
  }
}
