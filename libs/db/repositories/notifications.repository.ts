import type { DataSource } from 'typeorm';
import { rows } from './sql';

/**
 * The notifications outbox (`notifications`), keyed by business key: an e-mail is claimed before
 * it is sent and marked once the SMTP server accepted it, so a retry, a worker crash or a replay
 * sends a key once.
 */
export class NotificationsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Claims `key` for sending to `recipient` (a row in status `sending`, or the row already there)
   * and answers its status: `sent` means it went out before and must not go again.
   */
  async claimEmail(
    key: string,
    partnershipId: string,
    recipient: string,
  ): Promise<'sending' | 'sent' | undefined> {
    const claimed = await rows<{ status: 'sending' | 'sent' }>(
      this.db,
      `INSERT INTO notifications (key, partnership_id, channel, recipient, status)
     VALUES ($1, $2, 'email', $3, 'sending')
     ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key
     RETURNING status`,
      [key, partnershipId, recipient],
    );
    return claimed[0]?.status;
  }

  /** Marks a claimed key sent, with the Message-ID the mailer gave it. */
  async markSent(key: string, messageId: string): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET status = 'sent', message_id = $2, sent_at = now() WHERE key = $1`,
      [key, messageId],
    );
  }
}
