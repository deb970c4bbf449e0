import { Injectable, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@libs/config';
import { TemporalClient } from '@libs/temporal';
import { parseAllowedNetworks, temporalDeliveryStarter } from '@libs/webhooks';
import type { WebhookDeliveryActivities } from '@workflows/webhooks/webhook-delivery.contract';
import { createWebhookDeliveryActivities } from './webhook-delivery.activities';
import { createWebhookOutbox, WebhookOutbox } from './webhook-outbox';

/**
 * The webhook delivery activities, and the outbox the projection activities write deliveries to
 * (it starts delivery workflows through the process's Temporal client).
 */
@Injectable()
export class WebhookActivitiesFactory {
  readonly outbox: WebhookOutbox;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    temporal: TemporalClient,
  ) {
    this.outbox = createWebhookOutbox({
      dataSource,
      startDelivery: temporalDeliveryStarter(temporal, {
        initialIntervalMs: config.WEBHOOK_RETRY_INITIAL_MS,
        maximumIntervalMs: config.WEBHOOK_RETRY_MAX_INTERVAL_MS,
        maximumAttempts: config.WEBHOOK_MAX_ATTEMPTS,
      }),
    });
  }

  create(): WebhookDeliveryActivities {
    return createWebhookDeliveryActivities({
      dataSource: this.dataSource,
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      allowedNetworks: parseAllowedNetworks(this.config.WEBHOOK_ALLOWED_NETWORKS),
    });
  }
}

@Module({ providers: [WebhookActivitiesFactory], exports: [WebhookActivitiesFactory] })
export class WebhookActivitiesModule {}
