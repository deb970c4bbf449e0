// Entry point of the workflow bundle: every workflow the worker runs is exported here.
export { partnershipWorkflow } from './partnership/partnership.workflow';
export { webhookDeliveryWorkflow } from './webhooks/webhook-delivery.workflow';
export { calendarEventWorkflow } from './calendar-events/calendar-event.workflow';
export { calendarRefreshWorkflow } from './calendars/calendar-refresh.workflow';
export { weeklyDigestWorkflow } from './digest/weekly-digest.workflow';
