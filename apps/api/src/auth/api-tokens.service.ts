import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { hashToken, newApiToken } from '@libs/auth';
import { AppConfig } from '@libs/config';
import { UsersRepository } from '@libs/db';
import { DomainError, ErrorCode, isUuid } from '@libs/domain';
import type { AuthUser } from '@libs/domain';
import { ApiTokenView, CreateApiTokenDto, CreatedApiTokenView } from './auth.dto';
import { AuditLogService } from './audit-log.service';

/**
 * Personal API tokens: each user manages their own; the secret is shown once, stored hashed.
 * Every token expires, at most AUTH_API_TOKEN_MAX_DAYS after it was made.
 */
@Injectable()
export class ApiTokensService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApiTokens');

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly audit: AuditLogService,
    private readonly users: UsersRepository,
  ) {}

  /** A lower maximum applies to the tokens made under a higher one too, from this start on. */
  async onApplicationBootstrap(): Promise<void> {
    const capped = await this.users.capApiTokenExpiries(this.config.AUTH_API_TOKEN_MAX_DAYS);
    if (capped > 0) {
      this.logger.log(
        `${capped} API token(s) now expire ${this.config.AUTH_API_TOKEN_MAX_DAYS} days from now (AUTH_API_TOKEN_MAX_DAYS)`,
      );
    }
  }

  async create(owner: AuthUser, dto: CreateApiTokenDto): Promise<CreatedApiTokenView> {
    const maxDays = this.config.AUTH_API_TOKEN_MAX_DAYS;
    if (dto.expiresInDays !== undefined && dto.expiresInDays > maxDays) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: expiresInDays', {
        errors: [
          {
            field: 'expiresInDays',
            messages: [`expiresInDays must not be greater than ${maxDays}`],
          },
        ],
      });
    }
    const id = randomUUID();
    const token = newApiToken(id);
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + (dto.expiresInDays ?? maxDays) * 86_400_000);
    await this.dataSource.transaction(async (m) => {
      await this.users.insertApiToken(m, {
        id,
        userId: owner.id,
        name: dto.name,
        tokenHash: hashToken(token),
        expiresAt,
        createdAt,
      });
      await this.audit.record(m, {
        actorUserId: owner.id,
        action: 'api_token.created',
        target: `api_token:${id}`,
        details: { name: dto.name, expiresAt: expiresAt.toISOString() },
      });
    });
    return {
      id,
      name: dto.name,
      token,
      createdAt: createdAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** The caller's tokens that are not revoked, newest first; never a secret. */
  async list(owner: AuthUser): Promise<ApiTokenView[]> {
    const rows = await this.users.liveApiTokensOf(owner.id);
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    }));
  }

  /** Revokes one of the caller's tokens; it is refused from the next request on. */
  async revoke(owner: AuthUser, id: string): Promise<void> {
    const revoked = await this.dataSource.transaction(async (m) => {
      const found = isUuid(id) && (await this.users.revokeApiToken(m, id, owner.id));
      if (!found) return false;
      await this.audit.record(m, {
        actorUserId: owner.id,
        action: 'api_token.revoked',
        target: `api_token:${id}`,
        details: {},
      });
      return true;
    });
    if (!revoked) {
      throw new DomainError(ErrorCode.API_TOKEN_NOT_FOUND, `No API token ${id}`, { tokenId: id });
    }
  }
}
