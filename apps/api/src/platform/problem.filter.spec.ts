import { ErrorCode, REJECTION_CODES } from '../../../../libs/domain';
import { statusOf } from './problem.filter';

describe(statusOf.name, () => {
  it('maps every error code to a client or availability status', () => {
    for (const code of Object.values(ErrorCode)) {
      const status = statusOf(code);
      expect([400, 404, 409, 410, 413, 415, 422, 503]).toContain(status);
    }
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
