import {
  signWebhookBody,
  verifyWebhookSignature,
  webhookDeliveryId,
  webhookRequestHeaders,
} from './webhook-signature';
import { webhookWants, WEBHOOK_EVENT_TYPES } from './webhook-events';

const secret = 'whsec-test-secret-0123';
const body = '{"deliveryId":"d1"}';

describe(signWebhookBody.name, () => {
  it('is HMAC-SHA256 of "<timestamp>.<body>" in hex (the vector openssl gives)', () => {
    // printf '%s' '1700000000.{"deliveryId":"d1"}' | openssl dgst -sha256 -hmac 'whsec-test-secret-0123'
    expect(signWebhookBody(secret, 1_700_000_000, body)).toBe(
      'sha256=7b792d9adba17cf50621de4173acb360863e83cf573948ec4b807d55519d14c9',
    );
  });
});

describe(verifyWebhookSignature.name, () => {
  const now = new Date(1_700_000_100_000);
  const signed = {
    secret,
    body,
    timestamp: '1700000000',
    signature: signWebhookBody(secret, 1_700_000_000, body),
    now,
  };

  it('accepts the request as sent', () => {
    expect(verifyWebhookSignature(signed)).toBe(true);
  });

  it.each([
    ['another body', { body: '{"deliveryId":"d2"}' }],
    ['another secret', { secret: 'whsec-other-secret-0123' }],
    ['a changed timestamp', { timestamp: '1700000001' }],
    ['a missing signature', { signature: undefined }],
    ['a missing timestamp', { timestamp: undefined }],
    ['a truncated signature', { signature: signed.signature.slice(0, 20) }],
    ['a timestamp older than the tolerance', { now: new Date(1_700_000_301_000) }],
  ])('refuses %s', (_what, change) => {
    expect(verifyWebhookSignature({ ...signed, ...change })).toBe(false);
  });
});

describe(webhookRequestHeaders.name, () => {
  it('carries the delivery id, the event type and a signature over the timestamp it sends', () => {
    const headers = webhookRequestHeaders({
      secret,
      deliveryId: 'd1',
      eventType: 'stage.advanced',
      body,
      now: new Date(1_700_000_000_900),
    });
    expect(headers).toMatchObject({
      'Content-Type': 'application/json',
      'X-Entente-Delivery': 'd1',
      'X-Entente-Event': 'stage.advanced',
      'X-Entente-Timestamp': '1700000000',
    });
    expect(
      verifyWebhookSignature({
        secret,
        body,
        timestamp: headers['X-Entente-Timestamp'],
        signature: headers['X-Entente-Signature'],
        now: new Date(1_700_000_000_900),
      }),
    ).toBe(true);
  });
});

describe(webhookDeliveryId.name, () => {
  const webhook = '6f1c2d3e-0000-4000-8000-000000000001';
  const partnership = '6f1c2d3e-0000-4000-8000-000000000002';

  it('is the same for the same webhook and event, and differs otherwise', () => {
    const id = webhookDeliveryId(webhook, partnership, 3);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(webhookDeliveryId(webhook, partnership, 3)).toBe(id);
    expect(webhookDeliveryId(webhook, partnership, 4)).not.toBe(id);
    expect(webhookDeliveryId(partnership, webhook, 3)).not.toBe(id);
  });
});

describe(webhookWants.name, () => {
  it('matches listed types and "*", never notification.failed', () => {
    expect(webhookWants(['stage.advanced'], 'stage.advanced')).toBe(true);
    expect(webhookWants(['stage.advanced'], 'task.completed')).toBe(false);
    expect(webhookWants(['*'], 'task.completed')).toBe(true);
    expect(webhookWants(['*'], 'notification.failed')).toBe(false);
    expect(WEBHOOK_EVENT_TYPES).not.toContain('notification.failed');
  });
});
