export { configSchema, configObject } from './config.schema';
export type { ConfigValues } from './config.schema';
export { loadConfig, ConfigError } from './config';
export { AppConfig, ConfigModule } from './config.module';
export { nestLogLevels } from './log-levels';
