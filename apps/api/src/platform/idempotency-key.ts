import { DomainError, ErrorCode } from '@libs/domain';

/** What an Idempotency-Key header may be: 1–200 visible ASCII characters. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** Refuses (VALIDATION_FAILED, naming the header) an Idempotency-Key of another form; none is fine. */
export function assertIdempotencyKey(idempotencyKey: string | undefined): void {
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid Idempotency-Key header', {
      errors: [{ field: 'Idempotency-Key', messages: ['must be 1–200 visible ASCII characters'] }],
    });
  }
}
