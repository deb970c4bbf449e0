import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { AppConfig } from '@libs/config';
import { WebhookEntity, WebhooksRepository } from '@libs/db';
import { DomainError, ErrorCode, isUuid } from '@libs/domain';
import { TemporalClient } from '@libs/temporal';
import {
  checkWebhookDestination,
  parseAllowedNetworks,
  startDeliveries,
  temporalDeliveryStarter,
} from '@libs/webhooks';
import type { AllowedNetwork, StartDelivery } from '@libs/webhooks';
import { canonicalJson, sha256Hex } from '../platform/canonical-json';
import { assertIdempotencyKey } from '../platform/idempotency-key';
import { PageQuery } from '../partnerships/lifecycle.dto';
import {
  CreateWebhookDto,
  DeliveriesQuery,
  DeliveryPage,
  DeliveryView,
  UpdateWebhookDto,
  WebhookPage,
  WebhookView,
} from './webhook.dto';
import type { AuthUser } from '@libs/domain';
import { audit } from '../platform/audit';

/** Namespace for webhook ids derived from Idempotency-Keys (uuid v5), fixed forever. */
const IDEMPOTENCY_NAMESPACE = '5a2e9c1d-8f3b-4d6e-a7c0-2b4f6e8d1a93';

/** Webhook registrations and their delivery log. The worker does the sending. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('Webhooks');
  private readonly allowedNetworks: readonly AllowedNetwork[];
  private readonly startDelivery: StartDelivery;

  constructor(
    private readonly dataSource: DataSource,
    private readonly webhooks: WebhooksRepository,
    config: AppConfig,
    temporal: TemporalClient,
  ) {
    this.allowedNetworks = parseAllowedNetworks(config.WEBHOOK_ALLOWED_NETWORKS);
    this.startDelivery = temporalDeliveryStarter(temporal, {
      initialIntervalMs: config.WEBHOOK_RETRY_INITIAL_MS,
      maximumIntervalMs: config.WEBHOOK_RETRY_MAX_INTERVAL_MS,
      maximumAttempts: config.WEBHOOK_MAX_ATTEMPTS,
    });
  }

  /**
   * Registers a webhook. With an Idempotency-Key the id is derived from the key, so a retry
   * returns the first webhook; the same key with another body is refused.
   */
  async create(by: AuthUser, dto: CreateWebhookDto, idempotencyKey?: string): Promise<WebhookView> {
    assertIdempotencyKey(idempotencyKey);
    await this.checkUrl(dto.url);
    const requestHash = idempotencyKey ? sha256Hex(canonicalJson(dto)) : null;
    const id = idempotencyKey
      ? uuidv5(`webhooks:${by.id}:${idempotencyKey}`, IDEMPOTENCY_NAMESPACE)
      : randomUUID();
    const inserted = await this.dataSource.transaction(async (tx) => {
      const added = await this.webhooks.insert(tx, {
        id,
        url: dto.url,
        secret: dto.secret,
        eventTypes: dto.eventTypes,
        partnershipIds: dto.partnershipIds?.map((p) => p.toLowerCase()) ?? null,
        description: dto.description ?? null,
        requestHash,
        createdBy: by.id,
      });
      if (added) {
        await audit(tx, by, 'webhook.created', id, {
          url: dto.url,
          eventTypes: dto.eventTypes,
        });
      }
      return added;
    });
    const row = await this.require(id);
    if (!inserted && row.requestHash !== requestHash) {
      throw new DomainError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This Idempotency-Key was already used with a different request body',
      );
    }
    return toView(row);
  }

  async list(query: PageQuery): Promise<WebhookPage> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const [rows, total] = await this.webhooks.page((page - 1) * pageSize, pageSize);
    return { items: rows.map(toView), page, pageSize, total };
  }

  async get(id: string): Promise<WebhookView> {
    return toView(await this.require(id));
  }

  async update(by: AuthUser, id: string, dto: UpdateWebhookDto): Promise<WebhookView> {
    const row = await this.require(id);
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    if (dto.active !== undefined) row.active = dto.active;
    if (dto.eventTypes !== undefined) row.eventTypes = dto.eventTypes;
    if (dto.url !== undefined) row.url = dto.url;
    if (dto.partnershipIds !== undefined) {
      row.partnershipIds = dto.partnershipIds?.map((p) => p.toLowerCase()) ?? null;
    }
    if (dto.description !== undefined) row.description = dto.description;
    const saved = await this.dataSource.transaction(async (tx) => {
      const next = await this.webhooks.save(tx, row);
      await audit(tx, by, 'webhook.updated', id, { ...dto });
      return next;
    });
    if (dto.active === true) await this.resumeDeliveries(id);
    return toView(saved);
  }

  /** Deletes the webhook with its delivery log; deliveries still being retried stop. */
  async remove(by: AuthUser, id: string): Promise<void> {
    const row = await this.require(id);
    await this.dataSource.transaction(async (tx) => {
      await this.webhooks.delete(tx, id);
      await audit(tx, by, 'webhook.deleted', id, { url: row.url });
    });
  }

  /** The delivery log, newest first, each delivery with its attempts. */
  async deliveriesOf(id: string, query: DeliveriesQuery): Promise<DeliveryPage> {
    await this.require(id);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const [rows, total] = await this.webhooks.deliveriesPage(
      id,
      query.status,
      (page - 1) * pageSize,
      pageSize,
    );
    const attempts = await this.webhooks.attemptsOf(rows.map((r) => r.id));
    const items: DeliveryView[] = rows.map((d) => ({
      id: d.id,
      webhookId: d.webhookId,
      partnershipId: d.partnershipId,
      eventSequence: d.eventSequence,
      eventType: d.eventType,
      status: d.status,
      attemptCount: d.attempts,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      createdAt: d.createdAt.toISOString(),
      lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      payload: d.payload,
      attempts: attempts
        .filter((a) => a.deliveryId === d.id)
        .map((a) => ({
          attempt: a.attempt,
          attemptedAt: a.attemptedAt.toISOString(),
          statusCode: a.statusCode,
          error: a.error,
          durationMs: a.durationMs,
        })),
    }));
    return { items, page, pageSize, total };
  }

  /**
   * Starts the workflows of the webhook's pending deliveries: those written while it was active
   * whose dispatch came (or was retried) while it was paused, and any whose workflow ended without
   * sending. A delivery whose workflow runs is left alone (its start is a no-op), so a resume
   * never sends one twice. Best effort after the commit: when Temporal is unreachable, the
   * worker's start-up sweep picks them up.
   */
  private async resumeDeliveries(webhookId: string): Promise<void> {
    try {
      await startDeliveries(this.startDelivery, await this.webhooks.pendingDeliveriesOf(webhookId));
    } catch (err) {
      this.logger.warn(
        `pending deliveries of webhook ${webhookId} not dispatched: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /**
   * Refuses a URL whose host is, or resolves to, an address webhooks may not reach (or does not
   * resolve), before anything is written. The worker checks again before every attempt and
   * connects only to the address it checked: a name may resolve elsewhere by then.
   */
  private async checkUrl(url: string): Promise<void> {
    const destination = await checkWebhookDestination(url, { allowed: this.allowedNetworks });
    if (destination.kind === 'allowed') return;
    const reason = `its host ${destination.reason}`;
    throw new DomainError(
      ErrorCode.WEBHOOK_URL_REFUSED,
      `Webhooks may not be sent to this URL: ${reason}`,
      {
        errors: [{ field: 'url', messages: [reason] }],
      },
    );
  }

  private async require(id: string): Promise<WebhookEntity> {
    // A malformed id can never name a webhook: 404, as for partnerships and approvals.
    const row = isUuid(id) ? await this.webhooks.find(id) : null;
    if (!row)
      throw new DomainError(ErrorCode.WEBHOOK_NOT_FOUND, `No webhook ${id}`, { webhookId: id });
    return row;
  }
}

function toView(row: WebhookEntity): WebhookView {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.eventTypes,
    partnershipIds: row.partnershipIds,
    description: row.description,
    active: row.active,
    secretHint: `…${row.secret.slice(-4)}`,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
