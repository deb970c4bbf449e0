import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DomainError, ErrorCode } from '../../../../libs/domain';

const CODES = new Set<string>(Object.values(ErrorCode));

/**
 * A workflow validator's refusal (an ApplicationFailure whose type is one of our error codes)
 * as the DomainError the problem filter answers; undefined for any other error. Its first
 * detail becomes the problem's extension members, over `defaults`.
 */
export function domainErrorOf(
  err: unknown,
  defaults: Record<string, unknown> = {},
): DomainError | undefined {
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) {
    return undefined;
  }
  const type = err.cause.type ?? '';
  if (!CODES.has(type)) return undefined;
  const details = (err.cause.details?.[0] ?? {}) as Record<string, unknown>;
  return new DomainError(type as ErrorCode, err.cause.message, { ...defaults, ...details });
}
