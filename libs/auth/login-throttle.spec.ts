import {
  afterFailedLogin,
  failedLoginDelayMs,
  isLocked,
  LoginFailureState,
} from './login-throttle';

const policy = { threshold: 5, lockMinutes: 15 };
const T0 = new Date('2027-01-12T09:00:00Z');
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
const fresh: LoginFailureState = { failedLogins: 0, lockedUntil: null };

describe(afterFailedLogin.name, () => {
  it('locks for 15 minutes at the 5th consecutive failure', () => {
    let state = fresh;
    for (let i = 1; i <= 4; i++) {
      state = afterFailedLogin(state, T0, policy);
      expect(state).toEqual({ failedLogins: i, lockedUntil: null });
    }
    state = afterFailedLogin(state, T0, policy);
    expect(state).toEqual({ failedLogins: 5, lockedUntil: at(15) });
    expect(isLocked(state, at(14.9))).toBe(true);
    expect(isLocked(state, at(15))).toBe(false);
  });

  it('counts attempts during the lock without extending it', () => {
    const locked = { failedLogins: 5, lockedUntil: at(15) };
    expect(afterFailedLogin(locked, at(10), policy)).toEqual({
      failedLogins: 6,
      lockedUntil: at(15),
    });
  });

  it('starts a fresh count once the lock has run out', () => {
    const expired = { failedLogins: 7, lockedUntil: at(15) };
    expect(afterFailedLogin(expired, at(16), policy)).toEqual({
      failedLogins: 1,
      lockedUntil: null,
    });
  });
});

describe(failedLoginDelayMs.name, () => {
  it('grows by 250 ms per failure up to 2 s', () => {
    expect([1, 2, 4, 8, 9, 100].map(failedLoginDelayMs)).toEqual([
      250, 500, 1000, 2000, 2000, 2000,
    ]);
  });
});
