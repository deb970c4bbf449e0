export { temporalConnectionSettings } from './connection-options';
export type { TemporalConnectionSettings } from './connection-options';
export { TemporalClient, TemporalModule } from './temporal.module';
