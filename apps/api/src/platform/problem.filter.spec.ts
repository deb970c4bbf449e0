import { ErrorCode, REJECTION_CODES } from '@libs/domain';
import { statusOf } from './problem.filter';

describe(statusOf.name, () => {
  it('maps every error code to a client or availability status', () => {
    for (const code of Object.values(ErrorCode)) {
      const status = statusOf(code);
      expect([400, 401, 403, 404, 409, 410, 413, 415, 422, 429, 503]).toContain(status);
    }
  });
  it('maps credentials to 401 and permissions to 403, whatever was wrong with them', () => {
    for (const code of [
      ErrorCode.UNAUTHENTICATED,
      ErrorCode.INVALID_CREDENTIALS,
      ErrorCode.REFRESH_TOKEN_INVALID,
    ]) {
      expect(statusOf(code)).toBe(401);
    }
    expect(statusOf(ErrorCode.FORBIDDEN)).toBe(403);
    expect(statusOf(ErrorCode.EMAIL_TAKEN)).toBe(409);
    expect(statusOf(ErrorCode.USER_NOT_FOUND)).toBe(404);
    expect(statusOf(ErrorCode.API_TOKEN_NOT_FOUND)).toBe(404);
  });
  it('maps every lifecycle rejection code to an ErrorCode', () => {
    for (const code of REJECTION_CODES) expect(Object.values(ErrorCode)).toContain(code);
  });
  it('maps illegal transitions to 409', () => {
    expect(statusOf(ErrorCode.GATE_TASKS_OPEN)).toBe(409);
    expect(statusOf(ErrorCode.PARTNERSHIP_CLOSED)).toBe(409);
    expect(statusOf(ErrorCode.TASK_NOT_FOUND)).toBe(409);
  });
  it('maps validation to 400, unknown ids to 404, a reused idempotency key to 422', () => {
    expect(statusOf(ErrorCode.VALIDATION_FAILED)).toBe(400);
    expect(statusOf(ErrorCode.PARTNERSHIP_NOT_FOUND)).toBe(404);
    expect(statusOf(ErrorCode.IDEMPOTENCY_KEY_REUSED)).toBe(422);
  });
});
