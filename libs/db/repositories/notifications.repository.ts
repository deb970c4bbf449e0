import type { DataSource } from 'typeorm';
import { rows } from './sql';

/** What a claim on an outbox key found. */
export type EmailClaim =
  /** This attempt holds the key's lease until `leaseExpiresAt`: it may send. */
  | { outcome: 'claimed'; attempts: number }
  /** The key went out before: never again. */
  | { outcome: 'sent' }
  /** The SMTP server refused the key for good. */
  | { outcome: 'failed'; error: string }
  /** Another attempt holds a live lease: it may be sending right now. */
  | { outcome: 'held'; leaseExpiresAt: Date };

/**
 * The notifications outbox (`notifications`), keyed by business key. An attempt sends a key only
 * while it holds the key's lease: a claim row with the attempt's id and an expiry, taken by one
 * attempt at a time, renewed while it sends, and taken over by another only once expired. `sent`
 * and `failed` are final.
 */
export class NotificationsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Claims `key` for the attempt `claimId` for `leaseMs`: a new key, or one whose lease expired
   * (its attempt died or gave up), is this attempt's; any other answers what holds it. One
   * statement, so two attempts claiming at once cannot both win (the row is locked by the first).
   */
  async claimEmail(
    key: string,
    partnershipId: string | null,
    recipient: string,
    claimId: string,
    leaseMs: number,
  ): Promise<EmailClaim> {
    const claimed = await rows<{ attempts: number }>(
      this.db,
      `INSERT INTO notifications
         (key, partnership_id, channel, recipient, status, claim_id, lease_expires_at, attempts)
       VALUES ($1, $2, 'email', $3, 'sending', $4, now() + $5 * interval '1 millisecond', 1)
       ON CONFLICT (key) DO UPDATE
         SET claim_id = EXCLUDED.claim_id,
             lease_expires_at = EXCLUDED.lease_expires_at,
             attempts = notifications.attempts + 1
         WHERE notifications.status = 'sending'
           AND (notifications.lease_expires_at IS NULL OR notifications.lease_expires_at <= now())
       RETURNING attempts`,
      [key, partnershipId, recipient, claimId, leaseMs],
    );
    if (claimed.length > 0) return { outcome: 'claimed', attempts: claimed[0].attempts };
    const [row] = await rows<{
      status: 'sending' | 'sent' | 'failed';
      error: string | null;
      lease_expires_at: Date;
    }>(this.db, `SELECT status, error, lease_expires_at FROM notifications WHERE key = $1`, [key]);
    if (row.status === 'sent') return { outcome: 'sent' };
    if (row.status === 'failed') return { outcome: 'failed', error: row.error ?? '' };
    return { outcome: 'held', leaseExpiresAt: row.lease_expires_at };
  }

  /** Extends the lease of `claimId` by `leaseMs` from now; false when it no longer holds it. */
  async renewLease(key: string, claimId: string, leaseMs: number): Promise<boolean> {
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE … RETURNING as [rows, count].
    const renewed = await rows<{ key: string }>(
      this.db,
      `WITH renewed AS (
         UPDATE notifications SET lease_expires_at = now() + $3 * interval '1 millisecond'
          WHERE key = $1 AND claim_id = $2 AND status = 'sending'
          RETURNING key)
       SELECT key FROM renewed`,
      [key, claimId, leaseMs],
    );
    return renewed.length > 0;
  }

  /** Gives the lease up at once (the attempt failed before the server took the message). */
  async releaseLease(key: string, claimId: string): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET lease_expires_at = now()
       WHERE key = $1 AND claim_id = $2 AND status = 'sending'`,
      [key, claimId],
    );
  }

  /**
   * Marks a key sent, with the Message-ID the mailer gave it. Final. Whichever attempt's message
   * the server accepted, the key went out: the mark does not depend on still holding the lease.
   */
  async markSent(key: string, messageId: string): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET status = 'sent', message_id = $2, sent_at = now(),
         lease_expires_at = NULL
       WHERE key = $1 AND status <> 'sent'`,
      [key, messageId],
    );
  }

  /** Marks a claimed key refused for good (an SMTP 5xx), with the server's answer. Final. */
  async markFailed(key: string, claimId: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE notifications SET status = 'failed', error = $3, lease_expires_at = NULL
       WHERE key = $1 AND claim_id = $2 AND status = 'sending'`,
      [key, claimId, error],
    );
  }
}
