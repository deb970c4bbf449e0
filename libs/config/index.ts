export {
  configSchema,
  configObject,
  followUpDefaults,
  MAX_FOLLOW_UP_WORKING_MINUTES,
} from './config.schema';
export type { ConfigValues } from './config.schema';
export {
  loadConfig,
  ConfigError,
  approvalLinkSecret,
  approvalLinkSecrets,
  authTokenSecret,
  publicBaseUrl,
} from './config';
export { isShippedSecret, SHIPPED_SECRETS } from './shipped-secrets';
export { AppConfig, ConfigModule } from './config.module';
export { nestLogger, nestLogLevels } from './log-levels';
