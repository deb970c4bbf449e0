import { ApiHeader } from '@nestjs/swagger';
import { DomainError, ErrorCode } from '@libs/domain';

/** What an Idempotency-Key header may be: 1–200 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Refuses (VALIDATION_FAILED, naming the header) an Idempotency-Key of another form; none is fine. */
export function assertIdempotencyKey(idempotencyKey: string | undefined): void {
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid Idempotency-Key header', {
      errors: [{ field: 'Idempotency-Key', messages: ['must be 1–200 visible ASCII characters'] }],
    });
  }
}

/** Documents the optional Idempotency-Key header with the pattern the services check it against. */
export function IdempotencyKeyHeader(): MethodDecorator {
  return ApiHeader({
    // As the controllers' @Headers('idempotency-key') reads it: under the same name, this
    // replaces the parameter Nest documents from that (a required string of any kind).
    name: 'idempotency-key',
    required: false,
    description: 'Up to 200 visible ASCII characters',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
  });
}
