import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import {
  afterFailedLogin,
  dummyVerifyPassword,
  failedLoginDelayMs,
  hashPassword,
  hashToken,
  isLocked,
  isRefreshTokenShaped,
  LoginFailureState,
  needsRehash,
  newRefreshToken,
  parseApiToken,
  signAccessToken,
  tokenHashesEqual,
  verifyAccessToken,
  verifyPassword,
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
/** `last_used_at` of an API token is written at most this often. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The account as the API shows it, from a user row or the signed-in caller. */
export function accountView(
  user: Pick<UserEntity, 'id' | 'email' | 'name' | 'role'> & { language?: UserEntity['language'] },
): AccountView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    language: user.language ?? null,
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
   * Failure counts of e-mails that have no account, kept like an account's, so an attacker cannot
   * tell an unknown e-mail from a known one by the delays either. Per process; bounded.
   */
  private readonly unknownEmails = new Map<string, LoginFailureState>();

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
  ) {}

  onModuleInit(): void {
    // Builds the dummy hash now, so the first login with an unknown e-mail is not slower.
    void dummyVerifyPassword('warm-up');
  }

  private get lockout() {
    return {
      threshold: this.config.AUTH_LOCKOUT_THRESHOLD,
      lockMinutes: this.config.AUTH_LOCKOUT_MINUTES,
    };
  }

  async login(email: string, password: string): Promise<TokenPairView> {
    const normalised = normaliseEmail(email);
    const user = await this.users.findByEmail(normalised);
    if (!user) {
      await dummyVerifyPassword(password);
      const state = afterFailedLogin(
        this.unknownEmails.get(normalised) ?? { failedLogins: 0, lockedUntil: null },
        new Date(),
        this.lockout,
      );
      this.rememberUnknown(normalised, state);
      return this.refuseLogin(state.failedLogins);
    }
    // The password is checked even while the account is locked: the same work, the same answer.
    const matches = await verifyPassword(password, user.passwordHash);
    if (!matches || isLocked(user, new Date())) {
      return this.refuseLogin(await this.recordFailedLogin(user.id));
    }
    if (user.disabled) throw new DomainError(ErrorCode.INVALID_CREDENTIALS, INVALID_CREDENTIALS);
    const passwordHash = needsRehash(user.passwordHash)
      ? await hashPassword(password)
      : user.passwordHash;
    await this.users.updateNow(user.id, { failedLogins: 0, lockedUntil: null, passwordHash });
    return this.dataSource.transaction((m) => this.issue(m, user, randomUUID()));
  }

  private async refuseLogin(failedLogins: number): Promise<never> {
    await sleep(failedLoginDelayMs(failedLogins));
    throw new DomainError(ErrorCode.INVALID_CREDENTIALS, INVALID_CREDENTIALS);
  }

  /** Counts one failure under a row lock, so concurrent attempts cannot slip past the threshold. */
  private recordFailedLogin(userId: string): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const row = await this.users.find(m, userId, true);
      if (!row) return 1;
      const next = afterFailedLogin(row, new Date(), this.lockout);
      await this.users.update(m, userId, next);
      if (next.lockedUntil && !isLocked(row, new Date())) {
        this.logger.warn(
          `user ${userId} locked until ${next.lockedUntil.toISOString()} after ${next.failedLogins} failed logins`,
        );
      }
      return next.failedLogins;
    });
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

  /** Ends every session of a user (disabled, or a new password). Access tokens run out on their own. */
  async revokeAllRefreshTokens(m: EntityManager, userId: string): Promise<void> {
    await this.users.revokeRefreshTokens(m, { userId });
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
      (row.expiresAt && row.expiresAt.getTime() <= now) ||
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
