import { Entity, Index, PrimaryColumn } from 'typeorm';
import * as column from './columns';
import { UserEntity } from './user.entity';

/**
 * One refresh token of a rotation family. Each use marks it used and issues the next token of the
 * same family; presenting a used one again means it was copied, and revokes the whole family.
 * Only the SHA-256 of the token is stored.
 */
@Entity({ name: 'refresh_tokens' })
@Index('UQ_refresh_tokens_token_hash', ['tokenHash'], { unique: true })
@Index('IDX_refresh_tokens_family', ['familyId'])
@Index('IDX_refresh_tokens_user', ['userId'])
export class RefreshTokenEntity {
  @PrimaryColumn('uuid') id: string;

  @column.Uuid({ name: 'user_id' }) userId: string;

  @column.BelongsTo(() => UserEntity, 'user_id', 'FK_refresh_tokens_user') user?: UserEntity;

  /** The login this token descends from. */
  @column.Uuid({ name: 'family_id' }) familyId: string;

  @column.Text({ name: 'token_hash' }) tokenHash: string;

  @column.Timestamp({ name: 'expires_at' }) expiresAt: Date;

  @column.Timestamp({ name: 'used_at', nullable: true }) usedAt: Date | null;

  @column.Timestamp({ name: 'revoked_at', nullable: true }) revokedAt: Date | null;

  @column.Timestamp({ name: 'created_at', default: () => 'now()' }) createdAt: Date;
}
