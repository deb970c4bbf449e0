import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import {
  afterFailedLogin,
  dummyVerifyPassword,
  failedLoginDelayMs,
  hashPassword,
  HashingLimit,
  hashToken,
  isLocked,
  isRefreshTokenShaped,
  LoginFailureState,
  needsRehash,
  newRefreshToken,
  parseApiToken,
  scryptParamsFor,
  signAccessToken,
  tokenHashesEqual,
  verifyAccessToken,
  verifyPassword,
  type ScryptParams,
} from '@libs/auth';
import { AppConfig, authTokenSecret } from '@libs/config';
import { UserEntity, UsersRepository } from '@libs/db';
import { DomainError, ErrorCode } from '@libs/domain';
import type { AuthUser } from '@libs/domain';
import { AccountView, TokenPairView } from './auth.dto';
import { normaliseEmail } from './user-rows';

/** One message for every failed login: it never says whether the e-mail or the password was wrong. */
const INVALID_CREDENTIALS = 'The e-mail or password is incorrect';
/** How many unknown e-mails' failure counts the process remembers (their delays grow too). */
const UNKNOWN_EMAILS_REMEMBERED = 10_000;
/** What a login refused for want of a hashing place is told to wait. */
const HASHING_RETRY_AFTER_SECONDS = 1;
/** `last_used_at` of an API token is written at most this often. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The account as the API shows it, from a user row or the signed-in caller. */
export function accountView(
  user: Pick<UserEntity, 'id' | 'email' | 'name' | 'role'> &
    Partial<Pick<UserEntity, 'language' | 'timeZone' | 'weeklyDigest'>>,
): AccountView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    language: user.language ?? null,
    timeZone: user.timeZone ?? null,
    weeklyDigest: user.weeklyDigest ?? true,
  };
}

/**
 * Sign-in and credentials: password login with lockout and growing delays, access tokens (JWT),
 * rotating refresh tokens with reuse detection, and authentication of every guarded request.
 */
@Injectable()
export class AuthService implements OnModuleInit {
  private readonly logger = new Logger('Auth');
  /**
   * Failure counts of e-mails that have no account, per source like an account's, so an attacker
   * cannot tell an unknown e-mail from a known one by the delays either. Per process; bounded.
   */
  private readonly unknownEmails = new Map<string, LoginFailureState>();
  private readonly hashing: HashingLimit;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
  ) {
    this.hashing = new HashingLimit(
      config.AUTH_MAX_CONCURRENT_HASHES,
      config.AUTH_MAX_QUEUED_LOGINS,
    );
  }

  onModuleInit(): void {
    // Builds the dummy hash now, so the first login with an unknown e-mail is not slower.
    void dummyVerifyPassword('warm-up', this.scrypt);
  }

  /** The cost new password hashes are made with (PASSWORD_HASH_COST). */
  private get scrypt(): ScryptParams {
    return scryptParamsFor(this.config.PASSWORD_HASH_COST);
  }

  private get lockout() {
    return {
      threshold: this.config.AUTH_LOCKOUT_THRESHOLD,
      lockMinutes: this.config.AUTH_LOCKOUT_MINUTES,
    };
  }

  /**
   * Password login from `source` (the client's key: its IPv4 address or IPv6 /64). The attempt
   * is counted before the password is checked, under a row lock, so concurrent guesses are
   * counted one after another and none slips past the lock the ones before it set. Failures
   * and locks are per account and source: a stranger guessing from elsewhere locks out only
   * their own source, never the account's owner. Every refusal (unknown e-mail, wrong password,
   * locked, disabled) runs one scrypt and gets the same answer after the same delay.
   */
  async login(email: string, password: string, source: string): Promise<TokenPairView> {
    const attempt = this.hashing.tryRun(() => this.attemptLogin(email, password, source));
    if (!attempt) {
      throw new DomainError(ErrorCode.SERVER_BUSY, 'Too many sign-ins at once; retry in a moment', {
        retryAfterSeconds: HASHING_RETRY_AFTER_SECONDS,
      });
    }
    const outcome = await attempt;
    if (outcome.kind === 'refused') return this.refuseLogin(outcome.failedLogins);
    return outcome.pair;
  }

  /** The part of a login that holds a hashing place: counting, scrypt, and issuing the tokens. */
  private async attemptLogin(
    email: string,
    password: string,
    source: string,
  ): Promise<{ kind: 'refused'; failedLogins: number } | { kind: 'ok'; pair: TokenPairView }> {
    const normalised = normaliseEmail(email);
    const user = await this.users.findByEmail(normalised);
    if (!user) {
      const key = `${normalised}\n${source}`;
      const state = afterFailedLogin(
        this.unknownEmails.get(key) ?? { failedLogins: 0, lockedUntil: null },
        new Date(),
        this.lockout,
      );
      this.rememberUnknown(key, state);
      await dummyVerifyPassword(password, this.scrypt);
      return { kind: 'refused', failedLogins: state.failedLogins };
    }
    const { before, after } = await this.users.countLoginAttempt(user.id, source, (current) =>
      afterFailedLogin(current, new Date(), this.lockout),
    );
    if (after.lockedUntil && !isLocked(before, new Date())) {
      this.logger.warn(
        `user ${user.id} locked out from ${source} until ${after.lockedUntil.toISOString()} after ${after.failedLogins} failed logins`,
      );
    }
    // The password is checked in every case, locked or disabled too: the same work, the same answer.
    const matches = await verifyPassword(password, user.passwordHash);
    if (!matches || isLocked(before, new Date()) || user.disabled) {
      return { kind: 'refused', failedLogins: after.failedLogins };
    }
    const passwordHash = needsRehash(user.passwordHash, this.scrypt)
      ? await hashPassword(password, this.scrypt)
      : user.passwordHash;
    const pair = await this.dataSource.transaction(async (m) => {
      await this.users.clearLoginFailures(m, user.id, source);
      if (passwordHash !== user.passwordHash) {
        await this.users.update(m, user.id, { passwordHash });
      }
      return this.issue(m, user, randomUUID());
    });
    return { kind: 'ok', pair };
  }

  private async refuseLogin(failedLogins: number): Promise<never> {
    await sleep(failedLoginDelayMs(failedLogins));
    throw new DomainError(ErrorCode.INVALID_CREDENTIALS, INVALID_CREDENTIALS);
  }

  private rememberUnknown(email: string, state: LoginFailureState): void {
    this.unknownEmails.delete(email); // re-insert: the map's order is least recently failed first
    this.unknownEmails.set(email, state);
    if (this.unknownEmails.size > UNKNOWN_EMAILS_REMEMBERED) {
      const oldest = this.unknownEmails.keys().next().value;
      if (oldest !== undefined) this.unknownEmails.delete(oldest);
    }
  }

  /** A new access token and the next refresh token of `familyId`. */
  private async issue(
    m: EntityManager,
    user: UserEntity,
    familyId: string,
  ): Promise<TokenPairView> {
    const ttl = this.config.AUTH_ACCESS_TOKEN_TTL_SECONDS;
    const { token: accessToken } = signAccessToken(
      { sub: user.id, role: user.role },
      authTokenSecret(this.config),
      { ttlSeconds: ttl },
    );
    const refreshToken = newRefreshToken();
    const refreshExpiresAt = new Date(
      Date.now() + this.config.AUTH_REFRESH_TOKEN_TTL_DAYS * 86_400_000,
    );
    await this.users.insertRefreshToken(m, {
      id: randomUUID(),
      userId: user.id,
      familyId,
      tokenHash: hashToken(refreshToken),
      expiresAt: refreshExpiresAt,
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: ttl,
      refreshToken,
      refreshExpiresAt: refreshExpiresAt.toISOString(),
      user: accountView(user),
    };
  }

  /**
   * Exchanges a refresh token for a new pair; the old one is marked used. A used token presented
   * again was copied (by an attacker, or the legitimate client after the attacker used it first):
   * the whole family is revoked, so neither copy can go on refreshing.
   */
  async refresh(refreshToken: string): Promise<TokenPairView> {
    const invalid = (): DomainError =>
      new DomainError(
        ErrorCode.REFRESH_TOKEN_INVALID,
        'The refresh token is invalid, expired or revoked: log in again',
      );
    if (!isRefreshTokenShaped(refreshToken)) throw invalid();
    const outcome = await this.dataSource.transaction(async (m) => {
      const row = await this.users.findRefreshToken(
        m,
        { tokenHash: hashToken(refreshToken) },
        true,
      );
      const now = new Date();
      if (!row || row.revokedAt) return { kind: 'invalid' as const };
      if (row.usedAt) {
        await this.revokeFamily(m, row.familyId);
        return { kind: 'reused' as const, row };
      }
      if (row.expiresAt <= now) return { kind: 'invalid' as const };
      const user = await this.users.find(m, row.userId);
      if (!user || user.disabled) {
        await this.revokeFamily(m, row.familyId);
        return { kind: 'invalid' as const };
      }
      await this.users.markRefreshTokenUsed(m, row.id, now);
      return { kind: 'ok' as const, pair: await this.issue(m, user, row.familyId) };
    });
    if (outcome.kind === 'reused') {
      this.logger.warn(
        `refresh token reuse detected: family ${outcome.row.familyId} of user ${outcome.row.userId} revoked`,
      );
    }
    if (outcome.kind !== 'ok') throw invalid();
    return outcome.pair;
  }

  /** Ends the session the refresh token belongs to (its whole family), if it is the caller's. */
  async logout(user: AuthUser, refreshToken: string): Promise<void> {
    if (!isRefreshTokenShaped(refreshToken)) return;
    await this.dataSource.transaction(async (m) => {
      const row = await this.users.findRefreshToken(m, {
        tokenHash: hashToken(refreshToken),
        userId: user.id,
      });
      if (row) await this.revokeFamily(m, row.familyId);
    });
  }

  /**
   * Ends the session of a web app's refresh cookie (its whole family). The cookie is the
   * credential here: logging out must work after the access token has run out.
   */
  async endSession(refreshToken: string): Promise<void> {
    if (!isRefreshTokenShaped(refreshToken)) return;
    await this.dataSource.transaction(async (m) => {
      const row = await this.users.findRefreshToken(m, { tokenHash: hashToken(refreshToken) });
      if (row) await this.revokeFamily(m, row.familyId);
    });
  }

  private async revokeFamily(m: EntityManager, familyId: string): Promise<void> {
    await this.users.revokeRefreshTokens(m, { familyId });
  }

  /**
   * Ends every session and API token of a user (disabled, or a new password); how many API
   * tokens were revoked. Access tokens run out on their own (a disabled user's are refused at once).
   */
  async revokeAllCredentials(m: EntityManager, userId: string): Promise<{ apiTokens: number }> {
    await this.users.revokeRefreshTokens(m, { userId });
    return { apiTokens: await this.users.revokeApiTokensOf(m, userId) };
  }

  /**
   * Who is calling, from an `Authorization` header: `Bearer <access token>` or
   * `Bearer ent_pat_…` (a personal API token). Undefined when absent, malformed, expired, revoked,
   * or the user is disabled. The role is the user's current one, not the token's.
   */
  async authenticate(authorization: string | undefined): Promise<AuthUser | undefined> {
    const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const token = match[1];
    const apiToken = parseApiToken(token);
    if (apiToken) return this.authenticateApiToken(apiToken.tokenId, token);
    const verified = verifyAccessToken(token, authTokenSecret(this.config));
    if (!verified.ok) return undefined;
    const user = await this.users.find(this.dataSource.manager, verified.claims.sub);
    if (!user || user.disabled) return undefined;
    return { ...accountView(user), via: 'access-token' };
  }

  private async authenticateApiToken(
    tokenId: string,
    token: string,
  ): Promise<AuthUser | undefined> {
    const row = await this.users.findApiToken(tokenId);
    const now = Date.now();
    if (
      !row?.user ||
      !tokenHashesEqual(row.tokenHash, hashToken(token)) ||
      row.revokedAt ||
      row.expiresAt.getTime() <= now ||
      row.user.disabled
    ) {
      return undefined;
    }
    if (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      await this.users.touchApiToken(row.id, new Date(now));
    }
    return { ...accountView(row.user), via: 'api-token' };
  }
}
