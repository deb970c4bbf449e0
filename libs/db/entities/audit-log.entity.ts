import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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

  @Column({ name: 'actor_user_id', type: 'uuid', nullable: true })
  actorUserId: string | null;

  @Column({ type: 'text' })
  action: string;

  /** What was changed, e.g. `user:<id>` or `api_token:<id>`. */
  @Column({ type: 'text' })
  target: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  details: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
