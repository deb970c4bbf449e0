import { Entity, PrimaryColumn } from 'typeorm';
import * as column from './columns';

/**
 * Outbox of notifications by business key (e.g. approval/<id>/request/<contact>). An attempt sends
 * a key only while it holds the key's lease (`claim_id` until `lease_expires_at`); `sent` and
 * `failed` are final. See NotificationsRepository and docs/operations.md (E-mail delivery).
 */
@Entity({ name: 'notifications' })
export class NotificationEntity {
  @PrimaryColumn({ type: 'text' })
  key: string;

  /** The partnership the e-mail is about; null for one about several (the weekly digest). */
  @column.Uuid({ name: 'partnership_id', nullable: true }) partnershipId: string | null;

  @column.Text() channel: 'email' | 'webhook';

  @column.Text() recipient: string;

  @column.Text() status: 'sending' | 'sent' | 'failed';

  /** The attempt that holds the lease; only it may send, renew, or mark the key. */
  @column.Uuid({ name: 'claim_id', nullable: true }) claimId: string | null;

  /** Until when the claim holds; after it another attempt may take the key over. */
  @column.Timestamp({ name: 'lease_expires_at', nullable: true }) leaseExpiresAt: Date | null;

  /** How many attempts claimed the key (the first, then each takeover). */
  @column.Integer({ default: 0 }) attempts: number;

  /** The SMTP server's refusal, for a key that failed for good. */
  @column.Text({ nullable: true }) error: string | null;

  @column.Text({ name: 'message_id', nullable: true }) messageId: string | null;

  @column.Timestamp({ name: 'created_at', default: () => 'now()' }) createdAt: Date;

  @column.Timestamp({ name: 'sent_at', nullable: true }) sentAt: Date | null;
}
