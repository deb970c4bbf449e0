import { IsNull, Not, type DataSource, type EntityManager } from 'typeorm';
import type { UserRole } from '../../domain';
import { ApiTokenEntity } from '../entities/api-token.entity';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';
import { UserEntity } from '../entities/user.entity';
import { rows, type SqlRunner } from './sql';

/** Failed logins of one account from one source, and the lock they led to. */
export interface LoginFailures {
  failedLogins: number;
  lockedUntil: Date | null;
}

/** A source's count is forgotten after this long without an attempt (and with no lock running). */
const LOGIN_FAILURES_KEPT = '1 day';

/** Any number for pg_advisory_xact_lock, fixed: serialises changes that may remove an admin. */
const ADMIN_CHANGES_LOCK = 724_113_902;

/**
 * Accounts and their credentials: users, refresh tokens (sessions, by family) and personal API
 * tokens (`users`, `login_failures`, `refresh_tokens`, `api_tokens`). Methods whose first parameter is `m` run in
 * the caller's transaction.
 */
export class UsersRepository {
  constructor(private readonly db: DataSource) {}

  // Users

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.db.getRepository(UserEntity).findOneBy({ email });
  }

  existsWithEmail(email: string): Promise<boolean> {
    return this.db.getRepository(UserEntity).existsBy({ email });
  }

  /** The user, optionally under a row lock (`FOR UPDATE`) until the transaction ends. */
  find(m: EntityManager, id: string, lock = false): Promise<UserEntity | null> {
    return m.findOne(UserEntity, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  get(m: EntityManager, id: string): Promise<UserEntity> {
    return m.findOneByOrFail(UserEntity, { id });
  }

  /** Role and status only, for a check that needs nothing else. */
  async roleOf(id: string): Promise<{ role: UserRole; disabled: boolean } | undefined> {
    const [user] = await rows<{ role: UserRole; disabled: boolean }>(
      this.db,
      'SELECT role, disabled FROM users WHERE id = $1',
      [id],
    );
    return user;
  }

  page(skip: number, take: number): Promise<[UserEntity[], number]> {
    return this.db.getRepository(UserEntity).findAndCount({
      order: { email: 'ASC' },
      skip,
      take,
    });
  }

  /** Inserts the user unless the e-mail is taken; true when inserted. */
  async insertUnlessTaken(
    m: SqlRunner,
    user: Pick<UserEntity, 'id' | 'email' | 'name' | 'role' | 'passwordHash'>,
  ): Promise<boolean> {
    const inserted = await rows<{ id: string }>(
      m,
      `INSERT INTO users (id, email, name, role, password_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (email) DO NOTHING RETURNING id`,
      [user.id, user.email, user.name, user.role, user.passwordHash],
    );
    return inserted.length > 0;
  }

  async update(
    m: EntityManager,
    id: string,
    patch: Partial<Pick<UserEntity, UserPatchField>>,
  ): Promise<void> {
    await m.update(UserEntity, { id }, patch);
  }

  /** The same, outside any transaction. */
  async updateNow(id: string, patch: Partial<Pick<UserEntity, UserPatchField>>): Promise<void> {
    await this.db.getRepository(UserEntity).update({ id }, patch);
  }

  /** Changes of role or status take turns until the transaction ends. */
  async lockAdminChanges(m: SqlRunner): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_CHANGES_LOCK]);
  }

  /** Active admins other than `leavingId`. */
  countOtherActiveAdmins(m: EntityManager, leavingId: string): Promise<number> {
    return m.count(UserEntity, {
      where: { role: 'admin', disabled: false, id: Not(leavingId) },
    });
  }

  // Failed logins, per account and source

  /**
   * Counts one login attempt of the user from `source` before its password is checked, under the
   * user row's lock (`FOR NO KEY UPDATE`): concurrent attempts are counted one after another, in
   * the order they asked, each seeing the lock the ones before it set; and an admin's change of
   * the user (a new password clears the counts) is not undone by an attempt counted beside it.
   * `next` makes the new state from the current one. Counts idle for a day are forgotten.
   */
  countLoginAttempt(
    userId: string,
    source: string,
    next: (current: LoginFailures) => LoginFailures,
  ): Promise<{ before: LoginFailures; after: LoginFailures }> {
    return this.db.transaction(async (m) => {
      await m.query('SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
      await m.query(
        `DELETE FROM login_failures WHERE user_id = $1 AND source <> $2
            AND updated_at < now() - interval '${LOGIN_FAILURES_KEPT}'
            AND (locked_until IS NULL OR locked_until < now())`,
        [userId, source],
      );
      await m.query(
        `INSERT INTO login_failures (user_id, source) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [userId, source],
      );
      const [row] = await rows<{ failed_logins: number; locked_until: Date | null; idle: boolean }>(
        m,
        `SELECT failed_logins, locked_until,
                updated_at < now() - interval '${LOGIN_FAILURES_KEPT}' AS idle
           FROM login_failures WHERE user_id = $1 AND source = $2`,
        [userId, source],
      );
      const stale = row.idle && !(row.locked_until && row.locked_until > new Date());
      const before: LoginFailures = stale
        ? { failedLogins: 0, lockedUntil: null }
        : { failedLogins: row.failed_logins, lockedUntil: row.locked_until };
      const after = next(before);
      await m.query(
        `UPDATE login_failures SET failed_logins = $3, locked_until = $4, updated_at = now()
          WHERE user_id = $1 AND source = $2`,
        [userId, source, after.failedLogins, after.lockedUntil],
      );
      return { before, after };
    });
  }

  /** Forgets the failed logins of one source (a successful login from it), or of every source. */
  async clearLoginFailures(m: SqlRunner, userId: string, source?: string): Promise<void> {
    await (source === undefined
      ? m.query('DELETE FROM login_failures WHERE user_id = $1', [userId])
      : m.query('DELETE FROM login_failures WHERE user_id = $1 AND source = $2', [userId, source]));
  }

  /** Until when each of these users is locked out from at least one source (only running locks). */
  async lockedUntilOf(userIds: string[]): Promise<Map<string, Date>> {
    if (userIds.length === 0) return new Map();
    const found = await rows<{ user_id: string; until: Date }>(
      this.db,
      `SELECT user_id, max(locked_until) AS until FROM login_failures
        WHERE user_id = ANY($1::uuid[]) AND locked_until > now() GROUP BY user_id`,
      [userIds],
    );
    return new Map(found.map((r) => [r.user_id, r.until]));
  }

  // Refresh tokens (sessions)

  async insertRefreshToken(
    m: EntityManager,
    token: Pick<RefreshTokenEntity, 'id' | 'userId' | 'familyId' | 'tokenHash' | 'expiresAt'>,
  ): Promise<void> {
    await m.insert(RefreshTokenEntity, token);
  }

  /** The refresh token with this hash (and owner, if given), optionally under a row lock. */
  findRefreshToken(
    m: EntityManager,
    where: { tokenHash: string; userId?: string },
    lock = false,
  ): Promise<RefreshTokenEntity | null> {
    return lock
      ? m.findOne(RefreshTokenEntity, { where, lock: { mode: 'pessimistic_write' } })
      : m.findOneBy(RefreshTokenEntity, where);
  }

  async markRefreshTokenUsed(m: EntityManager, id: string, usedAt: Date): Promise<void> {
    await m.update(RefreshTokenEntity, { id }, { usedAt });
  }

  /** Revokes the tokens of one session (`familyId`) or of every session of a user (`userId`). */
  async revokeRefreshTokens(
    m: EntityManager,
    which: { familyId: string } | { userId: string },
  ): Promise<void> {
    await m.update(
      RefreshTokenEntity,
      { ...which, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
  }

  // API tokens

  async insertApiToken(
    m: EntityManager,
    token: Pick<ApiTokenEntity, 'id' | 'userId' | 'name' | 'tokenHash' | 'expiresAt' | 'createdAt'>,
  ): Promise<void> {
    await m.insert(ApiTokenEntity, token);
  }

  /** The token with its user (for authentication). */
  findApiToken(id: string): Promise<ApiTokenEntity | null> {
    return this.db
      .getRepository(ApiTokenEntity)
      .findOne({ where: { id }, relations: { user: true } });
  }

  /** The user's tokens that are not revoked, newest first. */
  liveApiTokensOf(userId: string): Promise<ApiTokenEntity[]> {
    return this.db.getRepository(ApiTokenEntity).find({
      where: { userId, revokedAt: IsNull() },
      order: { createdAt: 'DESC' },
    });
  }

  async touchApiToken(id: string, lastUsedAt: Date): Promise<void> {
    await this.db.getRepository(ApiTokenEntity).update({ id }, { lastUsedAt });
  }

  /** Revokes every live token of the user; how many there were. */
  async revokeApiTokensOf(m: EntityManager, userId: string): Promise<number> {
    const result = await m.update(
      ApiTokenEntity,
      { userId, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
    return result.affected ?? 0;
  }

  /** Shortens every live token's expiry to at most `maxDays` from now; how many changed. */
  async capApiTokenExpiries(maxDays: number): Promise<number> {
    const [changed] = await rows<{ n: number }>(
      this.db,
      `WITH capped AS (
         UPDATE api_tokens SET expires_at = now() + make_interval(days => $1)
          WHERE revoked_at IS NULL AND expires_at > now() + make_interval(days => $1) RETURNING id)
       SELECT count(*)::int AS n FROM capped`,
      [maxDays],
    );
    return changed.n;
  }

  /** Revokes one of the user's live tokens; true when there was one. */
  async revokeApiToken(m: EntityManager, id: string, userId: string): Promise<boolean> {
    const result = await m.update(
      ApiTokenEntity,
      { id, userId, revokedAt: IsNull() },
      { revokedAt: () => 'now()' },
    );
    return Boolean(result.affected);
  }
}

type UserPatchField =
  'name' | 'role' | 'disabled' | 'passwordHash' | 'language' | 'timeZone' | 'weeklyDigest';
