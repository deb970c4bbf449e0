/**
 * Brute-force protection of password logins, as pure rules. Every failed attempt adds a delay
 * that grows with the consecutive failures; at the threshold the account locks for a while, and
 * while it is locked even the right password is refused (and counts as one more failure).
 * A lock that has run out starts a fresh count, so its owner gets the full threshold again.
 */
export interface LoginFailureState {
  failedLogins: number;
  lockedUntil: Date | null;
}

export interface LockoutPolicy {
  threshold: number;
  lockMinutes: number;
}

export const FAILED_LOGIN_DELAY_STEP_MS = 250;
export const FAILED_LOGIN_DELAY_MAX_MS = 2_000;

export function isLocked(state: LoginFailureState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

export function afterFailedLogin(
  state: LoginFailureState,
  now: Date,
  policy: LockoutPolicy,
): LoginFailureState {
  if (isLocked(state, now)) {
    return { failedLogins: state.failedLogins + 1, lockedUntil: state.lockedUntil };
  }
  const failedLogins = (state.lockedUntil === null ? state.failedLogins : 0) + 1;
  return {
    failedLogins,
    lockedUntil:
      failedLogins >= policy.threshold
        ? new Date(now.getTime() + policy.lockMinutes * 60_000)
        : null,
  };
}

/** How long to hold the answer to a failed attempt: 250 ms per consecutive failure, at most 2 s. */
export function failedLoginDelayMs(failedLogins: number): number {
  return Math.min(
    FAILED_LOGIN_DELAY_STEP_MS * Math.max(failedLogins, 1),
    FAILED_LOGIN_DELAY_MAX_MS,
  );
}
