import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { hashPassword, passwordProblems, scryptParamsFor, type ScryptParams } from '@libs/auth';
import { AppConfig } from '@libs/config';
import { UserEntity, UsersRepository } from '@libs/db';
import { DomainError, ErrorCode, isUuid } from '@libs/domain';
import type { AuthUser } from '@libs/domain';
import {
  AccountView,
  CreateUserDto,
  UpdateMeDto,
  UpdateUserDto,
  UserPage,
  UserView,
} from './auth.dto';
import { AuditLogService } from './audit-log.service';
import { accountView, AuthService } from './auth.service';
import { insertUser, normaliseEmail } from './user-rows';

/** The user as admins see it; `lockedUntil`: the end of the latest lock from any source, if any. */
export function userView(user: UserEntity, lockedUntil?: Date): UserView {
  return {
    ...accountView(user),
    disabled: user.disabled,
    lockedUntil: lockedUntil && lockedUntil > new Date() ? lockedUntil.toISOString() : null,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

function checkPassword(password: string): void {
  const problems = passwordProblems(password);
  if (problems.length) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: password', {
      errors: [{ field: 'password', messages: problems.map((p) => `password ${p}`) }],
    });
  }
}

/** Admin management of accounts; every change is written to the audit log with its actor. */
@Injectable()
export class UsersService {
  private readonly logger = new Logger('Users');

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly auth: AuthService,
    private readonly audit: AuditLogService,
    private readonly users: UsersRepository,
  ) {}

  /** The signed-in user's own preferences; not audited (nothing another user relies on). */
  async updatePreferences(user: AuthUser, dto: UpdateMeDto): Promise<AccountView> {
    const patch: Partial<Pick<UserEntity, 'language' | 'timeZone' | 'weeklyDigest'>> = {};
    if (dto.language !== undefined) patch.language = dto.language;
    if (dto.timeZone !== undefined) patch.timeZone = dto.timeZone;
    if (dto.weeklyDigest !== undefined) patch.weeklyDigest = dto.weeklyDigest;
    if (Object.keys(patch).length === 0) {
      throw new DomainError(
        ErrorCode.VALIDATION_FAILED,
        'Give at least one of language, timeZone, weeklyDigest',
        { errors: [] },
      );
    }
    await this.users.updateNow(user.id, patch);
    const row = await this.users.get(this.dataSource.manager, user.id);
    return accountView(row);
  }

  /** The cost new password hashes are made with (PASSWORD_HASH_COST). */
  private get scrypt(): ScryptParams {
    return scryptParamsFor(this.config.PASSWORD_HASH_COST);
  }

  /** The first admin from ADMIN_EMAIL / ADMIN_PASSWORD, when no user has that e-mail yet. */
  async ensureConfiguredAdmin(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config;
    if (!email || !password) return;
    if (await this.users.existsWithEmail(normaliseEmail(email))) return;
    const created = await this.dataSource.transaction((m) =>
      insertUser(
        m,
        { email, name: 'Administrator', role: 'admin', password },
        { actorUserId: null, source: 'config' },
        this.scrypt,
      ),
    );
    if (created) this.logger.log(`created the admin ${created.email} (from ADMIN_EMAIL)`);
  }

  async create(actor: AuthUser, dto: CreateUserDto): Promise<UserView> {
    checkPassword(dto.password);
    const created = await this.dataSource.transaction((m) =>
      insertUser(m, dto, { actorUserId: actor.id, source: 'api' }, this.scrypt),
    );
    if (!created) {
      throw new DomainError(ErrorCode.EMAIL_TAKEN, 'A user with this e-mail already exists', {
        email: normaliseEmail(dto.email),
      });
    }
    return this.viewOf(created);
  }

  async list(page = 1, pageSize = 50): Promise<UserPage> {
    const [rows, total] = await this.users.page((page - 1) * pageSize, pageSize);
    const locks = await this.users.lockedUntilOf(rows.map((r) => r.id));
    return { items: rows.map((r) => userView(r, locks.get(r.id))), page, pageSize, total };
  }

  async get(id: string): Promise<UserView> {
    return this.viewOf(await this.require(this.dataSource.manager, id));
  }

  private async viewOf(user: UserEntity): Promise<UserView> {
    return userView(user, (await this.users.lockedUntilOf([user.id])).get(user.id));
  }

  /**
   * Revokes every API token of the user (a leaked integration secret, someone leaving), audited
   * with the number revoked. Their sessions are left alone; disabling the user ends those too.
   */
  async revokeApiTokens(actor: AuthUser, id: string): Promise<{ revoked: number }> {
    return this.dataSource.transaction(async (m) => {
      const user = await this.require(m, id, true);
      const revoked = await this.users.revokeApiTokensOf(m, user.id);
      await this.audit.record(m, {
        actorUserId: actor.id,
        action: 'user.api_tokens_revoked',
        target: `user:${user.id}`,
        details: { email: user.email, revoked },
      });
      return { revoked };
    });
  }

  async update(actor: AuthUser, id: string, dto: UpdateUserDto): Promise<UserView> {
    const fields = (
      ['name', 'role', 'disabled', 'password', 'timeZone', 'weeklyDigest'] as const
    ).filter((f) => dto[f] !== undefined);
    if (fields.length === 0) {
      throw new DomainError(
        ErrorCode.VALIDATION_FAILED,
        'Give at least one of name, role, disabled, password, timeZone, weeklyDigest',
        { errors: [] },
      );
    }
    if (dto.password !== undefined) checkPassword(dto.password);
    const passwordHash =
      dto.password !== undefined ? await hashPassword(dto.password, this.scrypt) : undefined;
    const updated = await this.dataSource.transaction(async (m) => {
      // Changes of role or status take turns, so two admins demoting each other at once cannot
      // leave no admin; the row lock orders any other change of the same user.
      if (dto.role !== undefined || dto.disabled !== undefined) {
        await this.users.lockAdminChanges(m);
      }
      const user = await this.require(m, id, true);
      const changes: Record<string, unknown> = {};
      const patch: Partial<UserEntity> = {};
      for (const field of ['name', 'role', 'disabled', 'timeZone', 'weeklyDigest'] as const) {
        const value = dto[field];
        if (value !== undefined && value !== user[field]) {
          changes[field] = { from: user[field], to: value };
          Object.assign(patch, { [field]: value });
        }
      }
      if (passwordHash) {
        changes.password = 'changed'; // never the password or its hash
        Object.assign(patch, { passwordHash });
      }
      const losesAdmin =
        user.role === 'admin' &&
        !user.disabled &&
        ((patch.role !== undefined && patch.role !== 'admin') || patch.disabled === true);
      if (losesAdmin) await this.keepOneAdmin(m, user.id);
      if (Object.keys(patch).length === 0) return user;
      await this.users.update(m, user.id, patch);
      // A new password lifts every lock; it and disabling end every credential the user holds.
      if (passwordHash) await this.users.clearLoginFailures(m, user.id);
      const ended =
        patch.disabled === true || passwordHash
          ? await this.auth.revokeAllCredentials(m, user.id)
          : undefined;
      await this.audit.record(m, {
        actorUserId: actor.id,
        action: 'user.updated',
        target: `user:${user.id}`,
        details: {
          email: user.email,
          changes,
          ...(ended ? { apiTokensRevoked: ended.apiTokens } : {}),
        },
      });
      return this.users.get(m, user.id);
    });
    return this.viewOf(updated);
  }

  /** Refuses to demote or disable the last active admin: nobody could manage users any more. */
  private async keepOneAdmin(m: EntityManager, leavingId: string): Promise<void> {
    const others = await this.users.countOtherActiveAdmins(m, leavingId);
    if (others === 0) {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        'The last active admin cannot be demoted or disabled: make another user admin first',
      );
    }
  }

  private async require(m: EntityManager, id: string, lock = false): Promise<UserEntity> {
    const user = isUuid(id) ? await this.users.find(m, id, lock) : null;
    if (!user) throw new DomainError(ErrorCode.USER_NOT_FOUND, `No user ${id}`, { userId: id });
    return user;
  }
}
