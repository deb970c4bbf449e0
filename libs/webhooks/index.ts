export {
  ALL_WEBHOOK_EVENTS,
  WEBHOOK_EVENT_TYPES,
  isWebhookEventType,
  webhookPayload,
  webhookWants,
} from './webhook-events';
export type { WebhookEventType, WebhookPayload } from './webhook-events';
export {
  WEBHOOK_HEADERS,
  signWebhookBody,
  verifyWebhookSignature,
  webhookDeliveryId,
  webhookRequestHeaders,
} from './webhook-signature';
export type { WebhookVerification } from './webhook-signature';
export {
  allowedNetworkProblem,
  checkWebhookDestination,
  parseAllowedNetworks,
  systemResolver,
  webhookAddressVerdict,
} from './webhook-destination';
export type {
  AddressVerdict,
  AllowedNetwork,
  DestinationOptions,
  ResolveHost,
  WebhookDestination,
} from './webhook-destination';
export { startDeliveries, temporalDeliveryStarter } from './webhook-delivery-starter';
export type { StartDelivery } from './webhook-delivery-starter';
