export { temporalConnectionSettings, TemporalConnectionSettings } from './connection-options';
export { TemporalClient, TemporalModule } from './temporal.module';
