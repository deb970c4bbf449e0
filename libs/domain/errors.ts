/**
 * Every error the product can explain to a user has a code. One HTTP filter maps each code to a
 * status (see apps/api/src/platform/problem.filter.ts); its switch is exhaustive, so a new code
 * cannot go unmapped.
 */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  PARTNERSHIP_NOT_FOUND = 'PARTNERSHIP_NOT_FOUND',
  ORGANISATION_NOT_FOUND = 'ORGANISATION_NOT_FOUND',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  ROUTE_NOT_FOUND = 'ROUTE_NOT_FOUND',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  DEPENDENCY_UNAVAILABLE = 'DEPENDENCY_UNAVAILABLE',
}

export interface FieldProblem {
  field: string;
  messages: string[];
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { errors?: FieldProblem[]; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
