import { In, type DataSource, type EntityManager } from 'typeorm';
import { WebhookDeliveryAttemptEntity } from '../entities/webhook-delivery-attempt.entity';
import {
  WebhookDeliveryEntity,
  type WebhookDeliveryStatus,
} from '../entities/webhook-delivery.entity';
import { WebhookEntity } from '../entities/webhook.entity';
import { rows, type SqlRunner } from './sql';

/** A delivery as the sending activity needs it, with its webhook's address and secret. */
export interface DeliveryToSend {
  status: string;
  event_type: string;
  payload: Record<string, unknown>;
  url: string;
  secret: string;
  active: boolean;
}

/** One delivery the outbox writes: a webhook's copy of one timeline event. */
export interface NewDelivery {
  id: string;
  webhook_id: string;
  event_sequence: number;
  event_type: string;
  /** The body every attempt sends. */
  payload: object;
}

/**
 * Webhook registrations, their deliveries and each delivery's attempts (`webhooks`,
 * `webhook_deliveries`, `webhook_delivery_attempts`): the API's registrations and delivery log,
 * the projection's outbox, and the delivery activities.
 */
export class WebhooksRepository {
  constructor(private readonly db: DataSource) {}

  // Registrations

  /** Inserts the webhook unless its id exists (an Idempotency-Key's retry); true when inserted. */
  async insert(
    m: SqlRunner,
    webhook: Pick<
      WebhookEntity,
      | 'id'
      | 'url'
      | 'secret'
      | 'eventTypes'
      | 'partnershipIds'
      | 'description'
      | 'requestHash'
      | 'createdBy'
    >,
  ): Promise<boolean> {
    const inserted = await rows<{ id: string }>(
      m,
      `INSERT INTO webhooks (id, url, secret, event_types, partnership_ids, description, request_hash,
                               created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        webhook.id,
        webhook.url,
        webhook.secret,
        webhook.eventTypes,
        webhook.partnershipIds,
        webhook.description,
        webhook.requestHash,
        webhook.createdBy,
      ],
    );
    return inserted.length > 0;
  }

  find(id: string): Promise<WebhookEntity | null> {
    return this.db.getRepository(WebhookEntity).findOneBy({ id });
  }

  /** Newest first. */
  page(skip: number, take: number): Promise<[WebhookEntity[], number]> {
    return this.db.getRepository(WebhookEntity).findAndCount({
      order: { createdAt: 'DESC', id: 'ASC' },
      skip,
      take,
    });
  }

  save(m: EntityManager, webhook: WebhookEntity): Promise<WebhookEntity> {
    return m.save(webhook);
  }

  /** Deletes the webhook; its deliveries and their attempts go with it (cascade). */
  async delete(m: EntityManager, id: string): Promise<void> {
    await m.delete(WebhookEntity, { id });
  }

  // The delivery log

  /** A page of the webhook's deliveries, newest first, optionally of one status. */
  deliveriesPage(
    webhookId: string,
    status: WebhookDeliveryStatus | undefined,
    skip: number,
    take: number,
  ): Promise<[WebhookDeliveryEntity[], number]> {
    return this.db.getRepository(WebhookDeliveryEntity).findAndCount({
      where: { webhookId, ...(status ? { status } : {}) },
      order: { createdAt: 'DESC', eventSequence: 'DESC', id: 'ASC' },
      skip,
      take,
    });
  }

  /** The attempts of these deliveries, in order. */
  attemptsOf(deliveryIds: string[]): Promise<WebhookDeliveryAttemptEntity[]> {
    if (deliveryIds.length === 0) return Promise.resolve([]);
    return this.db.getRepository(WebhookDeliveryAttemptEntity).find({
      where: { deliveryId: In(deliveryIds) },
      order: { attempt: 'ASC' },
    });
  }

  // The outbox (in the projection's transaction, then after its commit)

  /** Active webhooks of this partnership (or of all) that want one of these event types. */
  subscribersOf(
    m: SqlRunner,
    partnershipId: string,
    eventTypes: string[],
  ): Promise<{ id: string; event_types: string[] }[]> {
    return rows(
      m,
      `SELECT id, event_types FROM webhooks
          WHERE active
            AND (partnership_ids IS NULL OR $1::uuid = ANY (partnership_ids))
            AND (event_types && $2::text[] OR '*' = ANY (event_types))`,
      [partnershipId, eventTypes],
    );
  }

  /** One statement per batch; the ids and (webhook, partnership, sequence) make it idempotent. */
  async insertDeliveries(
    m: SqlRunner,
    partnershipId: string,
    deliveries: NewDelivery[],
  ): Promise<void> {
    await m.query(
      `INSERT INTO webhook_deliveries (id, webhook_id, partnership_id, event_sequence, event_type, payload)
         SELECT d.id, d.webhook_id, $1, d.event_sequence, d.event_type, d.payload
           FROM jsonb_to_recordset($2::jsonb)
             AS d(id uuid, webhook_id uuid, event_sequence int, event_type text, payload jsonb)
         ON CONFLICT DO NOTHING`,
      [partnershipId, JSON.stringify(deliveries)],
    );
  }

  /** Ids of the pending deliveries of these events. */
  async pendingDeliveryIds(partnershipId: string, sequences: number[]): Promise<string[]> {
    const pending = await rows<{ id: string }>(
      this.db,
      `SELECT id FROM webhook_deliveries
          WHERE partnership_id = $1 AND event_sequence = ANY ($2::int[]) AND status = 'pending'`,
      [partnershipId, sequences],
    );
    return pending.map((d) => d.id);
  }

  /**
   * Pending deliveries of active webhooks, a page after the id `after` (keyset, by id): what the
   * worker's start-up sweep starts again.
   */
  async pendingDeliveriesOfActiveWebhooks(
    after: string | undefined,
    limit: number,
  ): Promise<{ deliveryId: string; partnershipId: string }[]> {
    const found = await rows<{ id: string; partnership_id: string }>(
      this.db,
      `SELECT d.id, d.partnership_id
           FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.status = 'pending' AND w.active AND ($1::uuid IS NULL OR d.id > $1::uuid)
          ORDER BY d.id
          LIMIT $2`,
      [after ?? null, limit],
    );
    return found.map((d) => ({ deliveryId: d.id, partnershipId: d.partnership_id }));
  }

  /** The pending deliveries of one webhook (started again when it is resumed). */
  async pendingDeliveriesOf(
    webhookId: string,
  ): Promise<{ deliveryId: string; partnershipId: string }[]> {
    const found = await rows<{ id: string; partnership_id: string }>(
      this.db,
      `SELECT id, partnership_id FROM webhook_deliveries
          WHERE webhook_id = $1 AND status = 'pending' ORDER BY created_at, id`,
      [webhookId],
    );
    return found.map((d) => ({ deliveryId: d.id, partnershipId: d.partnership_id }));
  }

  // Sending

  async deliveryToSend(deliveryId: string): Promise<DeliveryToSend | undefined> {
    const [row] = await rows<DeliveryToSend>(
      this.db,
      `SELECT d.status, d.event_type, d.payload, w.url, w.secret, w.active
           FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
          WHERE d.id = $1`,
      [deliveryId],
    );
    return row;
  }

  /** A pending delivery of a deactivated webhook is skipped. */
  async skipDeactivated(deliveryId: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET status = 'skipped', last_error = 'webhook deactivated'
            WHERE id = $1 AND status = 'pending'`,
      [deliveryId],
    );
  }

  /**
   * Records one attempt (number, status, error, duration) in the statement that updates the
   * delivery; no error means delivered.
   */
  async recordAttempt(attempt: {
    deliveryId: string;
    attemptedAt: Date;
    statusCode: number | null;
    error: string | null;
    durationMs: number;
  }): Promise<void> {
    await this.db.query(
      `WITH d AS (
           UPDATE webhook_deliveries
              SET attempts = attempts + 1, last_attempt_at = $2, last_status_code = $3, last_error = $4,
                  status = CASE WHEN $4::text IS NULL THEN 'delivered' ELSE status END,
                  delivered_at = CASE WHEN $4::text IS NULL THEN now() ELSE delivered_at END
            WHERE id = $1
        RETURNING id, attempts)
         INSERT INTO webhook_delivery_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms)
         SELECT id, attempts, $2, $3, $4, $5 FROM d`,
      [
        attempt.deliveryId,
        attempt.attemptedAt,
        attempt.statusCode,
        attempt.error,
        attempt.durationMs,
      ],
    );
  }

  /**
   * Marks the delivery failed and answers what the failure says, or undefined when it was
   * delivered or skipped. 'failed' is accepted too, so a retry answers the same.
   */
  async markFailed(
    deliveryId: string,
  ): Promise<
    | { webhook_id: string; event_sequence: number; attempts: number; last_error: string | null }
    | undefined
  > {
    // Wrapped in a SELECT: TypeORM answers [rows, count] for a bare UPDATE.
    const [row] = await rows<{
      webhook_id: string;
      event_sequence: number;
      attempts: number;
      last_error: string | null;
    }>(
      this.db,
      `WITH failed AS (
           UPDATE webhook_deliveries d SET status = 'failed'
             FROM webhooks w
            WHERE d.id = $1 AND w.id = d.webhook_id AND d.status IN ('pending', 'failed')
        RETURNING d.webhook_id, d.event_sequence, d.attempts, d.last_error)
         SELECT * FROM failed`,
      [deliveryId],
    );
    return row;
  }
}
