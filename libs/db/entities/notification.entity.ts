import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Outbox of notifications by business key (e.g. approval/<id>/request/<contact>). An attempt sends
 * a key only while it holds the key's lease (`claim_id` until `lease_expires_at`); `sent` and
 * `failed` are final. See NotificationsRepository and docs/operations.md (E-mail delivery).
 */
@Entity({ name: 'notifications' })
export class NotificationEntity {
  @PrimaryColumn({ type: 'text' })
  key: string;

  @Column({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @Column({ type: 'text' })
  channel: 'email' | 'webhook';

  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'text' })
  status: 'sending' | 'sent' | 'failed';

  /** The attempt that holds the lease; only it may send, renew, or mark the key. */
  @Column({ name: 'claim_id', type: 'uuid', nullable: true })
  claimId: string | null;

  /** Until when the claim holds; after it another attempt may take the key over. */
  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt: Date | null;

  /** How many attempts claimed the key (the first, then each takeover). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** The SMTP server's refusal, for a key that failed for good. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
