import { Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import * as column from './columns';

/**
 * Who changed what: accounts and credentials (`user.created`, `user.updated`,
 * `api_token.created`, `api_token.revoked`) and other admin changes (e.g. webhooks). Append-only. `actor_user_id` is null when the change
 * came from configuration (ADMIN_EMAIL) or the `user:create` command; `details` says which.
 * Never holds a password or a token.
 */
@Entity({ name: 'audit_log' })
@Index('IDX_audit_log_at', ['at'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @column.Uuid({ name: 'actor_user_id', nullable: true }) actorUserId: string | null;

  @column.Text() action: string;

  /** What was changed, e.g. `user:<id>` or `api_token:<id>`. */
  @column.Text() target: string;

  @column.Json({ default: () => `'{}'` }) details: Record<string, unknown>;

  @column.Timestamp({ default: () => 'now()' }) at: Date;
}
