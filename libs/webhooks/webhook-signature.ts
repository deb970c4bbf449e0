import { createHmac, timingSafeEqual } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

/**
 * Signed webhook requests. The signature is HMAC-SHA256, keyed with the webhook's secret, over
 * `<timestamp>.<body>`: the timestamp is signed too, so a receiver that refuses old timestamps
 * cannot be fed a replayed request with a fresh `X-Entente-Timestamp`.
 */
export const WEBHOOK_HEADERS = {
  delivery: 'X-Entente-Delivery',
  event: 'X-Entente-Event',
  timestamp: 'X-Entente-Timestamp',
  signature: 'X-Entente-Signature',
} as const;

const SIGNATURE_PREFIX = 'sha256=';

/** `sha256=<hex>` for a body sent at `timestamp` (unix seconds). */
export function signWebhookBody(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
  return `${SIGNATURE_PREFIX}${mac}`;
}

export interface WebhookVerification {
  secret: string;
  /** The raw request body, byte for byte as received (not re-serialised JSON). */
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  /** Refuse timestamps further than this from `now` (default 300 s). */
  toleranceSeconds?: number;
  now?: Date;
}

/** What a receiver does: recompute the signature, compare in constant time, bound the age. */
export function verifyWebhookSignature(v: WebhookVerification): boolean {
  if (!v.timestamp || !/^\d{1,12}$/.test(v.timestamp) || !v.signature) return false;
  const timestamp = Number(v.timestamp);
  const now = Math.floor((v.now ?? new Date()).getTime() / 1000);
  if (Math.abs(now - timestamp) > (v.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhookBody(v.secret, timestamp, v.body));
  const given = Buffer.from(v.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The request headers of one attempt. */
export function webhookRequestHeaders(input: {
  secret: string;
  deliveryId: string;
  eventType: string;
  body: string;
  now?: Date;
}): Record<string, string> {
  const timestamp = Math.floor((input.now ?? new Date()).getTime() / 1000);
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'Entente-Webhooks/1',
    [WEBHOOK_HEADERS.delivery]: input.deliveryId,
    [WEBHOOK_HEADERS.event]: input.eventType,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: signWebhookBody(input.secret, timestamp, input.body),
  };
}

/** Namespace of delivery ids (uuid v5), fixed forever. */
const DELIVERY_NAMESPACE = '7d3c1f0a-9b2e-4e57-8c6a-1f4b2d9e6a30';

/**
 * One delivery per webhook and timeline event: the id is derived from that business key, so a
 * projection retried after a crash finds the same delivery (and the same delivery workflow).
 */
export function webhookDeliveryId(
  webhookId: string,
  partnershipId: string,
  sequence: number,
): string {
  return uuidv5(`${webhookId}:${partnershipId}:${sequence}`, DELIVERY_NAMESPACE);
}
