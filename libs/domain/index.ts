export * from './partnership';
export * from './working-hours';
export * from './errors';
export * from './timeline';
export * from './lifecycle';
export * from './reminders';
export * from './approvals';
export * from './follow-ups';
