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

/** The one mapping from error code to HTTP status. Exhaustive: a new code must be mapped here. */
export function statusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.PARTNERSHIP_NOT_FOUND:
    case ErrorCode.ORGANISATION_NOT_FOUND:
    case ErrorCode.ROUTE_NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.IDEMPOTENCY_KEY_REUSED:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return HttpStatus.UNSUPPORTED_MEDIA_TYPE;
    case ErrorCode.DEPENDENCY_UNAVAILABLE:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.REASON_REQUIRED:
    case ErrorCode.INVALID_DUE_DATE:
    case ErrorCode.COMMENT_REQUIRED:
    case ErrorCode.INVALID_APPROVAL_REQUEST:
    case ErrorCode.APPROVAL_LINK_INVALID:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.APPROVAL_NOT_FOUND:
    case ErrorCode.WEBHOOK_NOT_FOUND:
    case ErrorCode.USER_NOT_FOUND:
    case ErrorCode.API_TOKEN_NOT_FOUND:
    case ErrorCode.MEMBER_NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    // Who you are: missing, expired, tampered or revoked credentials; never says which.
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.INVALID_CREDENTIALS:
    case ErrorCode.REFRESH_TOKEN_INVALID:
      return HttpStatus.UNAUTHORIZED;
    // Known, and may see the partnership, but may not do this.
    case ErrorCode.FORBIDDEN:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.TOO_MANY_REQUESTS:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorCode.EMAIL_TAKEN:
      return HttpStatus.CONFLICT;
    case ErrorCode.APPROVAL_LINK_EXPIRED:
      return HttpStatus.GONE;
    case ErrorCode.APPROVAL_CLOSED:
    case ErrorCode.NOT_AN_APPROVER:
    case ErrorCode.ALREADY_DECIDED:
    case ErrorCode.DELEGATE_NOT_IN_ORGANISATION:
    case ErrorCode.GATE_CONSENT_MISSING:
      return HttpStatus.CONFLICT;
    // Illegal now, given the partnership's state: 409 with the code and what blocks.
    case ErrorCode.TASK_NOT_FOUND:
    case ErrorCode.PARTNERSHIP_CLOSED:
    case ErrorCode.PARTNERSHIP_AGREED:
    case ErrorCode.PARTNERSHIP_PAUSED:
    case ErrorCode.PARTNERSHIP_NOT_PAUSED:
    case ErrorCode.GATE_TASKS_OPEN:
    case ErrorCode.NO_PREVIOUS_STAGE:
    case ErrorCode.TASK_ALREADY_DONE:
    case ErrorCode.TASK_NOT_DONE:
    case ErrorCode.TASK_STAGE_PASSED:
    case ErrorCode.ASSIGNEE_NOT_A_CONTACT:
    case ErrorCode.NOTHING_TO_CHANGE:
    case ErrorCode.TASK_NOT_ASSIGNED:
      return HttpStatus.CONFLICT;
    // The workflow has ended under a running partnership; it will not come back by itself, so
    // a retry cannot succeed (see docs/api.md).
    case ErrorCode.PARTNERSHIP_WORKFLOW_ENDED:
      return HttpStatus.CONFLICT;
    default: {
      const unmapped: never = code;
      throw new Error(`unmapped error code ${String(unmapped)}`);
    }
  }
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

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = this.toProblem(exception, request);
    void reply
      .status(problem.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(problem);
  }

  toProblem(exception: unknown, request: FastifyRequest): Problem {
    const instance = request.url;
    if (exception instanceof DomainError) {
      const status = statusOf(exception.code);
      return {
        type: problemType(exception.code),
        title: TITLES[status] ?? 'Error',
        status,
        detail: exception.message,
        instance,
        code: exception.code,
        ...exception.details,
      };
    }
    const fastifyError = fastifyClientError(exception);
    if (fastifyError) {
      const status = statusOf(fastifyError.code);
      return {
        type: problemType(fastifyError.code),
        title: TITLES[status],
        status,
        detail: fastifyError.message,
        instance,
        code: fastifyError.code,
      };
    }
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
