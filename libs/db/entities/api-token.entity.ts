import { Entity, Index, PrimaryColumn } from 'typeorm';
import * as column from './columns';
import { UserEntity } from './user.entity';

/**
 * A personal API token for integrators: `ent_pat_<id>_<secret>`, shown once. Looked up by id and
 * checked against the stored SHA-256; acts as its user, with the user's current role.
 */
@Entity({ name: 'api_tokens' })
@Index('IDX_api_tokens_user', ['userId'])
export class ApiTokenEntity {
  @PrimaryColumn('uuid') id: string;

  @column.Uuid({ name: 'user_id' }) userId: string;

  @column.BelongsTo(() => UserEntity, 'user_id', 'FK_api_tokens_user') user?: UserEntity;

  @column.Text() name: string;

  @column.Text({ name: 'token_hash' }) tokenHash: string;

  /** Updated at most once a minute, so a busy integration does not write on every request. */
  @column.Timestamp({ name: 'last_used_at', nullable: true }) lastUsedAt: Date | null;

  /** Every token expires: at most AUTH_API_TOKEN_MAX_DAYS after it was made. */
  @column.Timestamp({ name: 'expires_at' }) expiresAt: Date;

  @column.Timestamp({ name: 'revoked_at', nullable: true }) revokedAt: Date | null;

  @column.Timestamp({ name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
