import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Outbox of notifications by business key (e.g. approval:<id>:request:<contact>). An activity
 * sends a key only if no row says it was sent, so a retry, a crash or a replay sends nothing twice.
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
  status: 'sending' | 'sent';

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
