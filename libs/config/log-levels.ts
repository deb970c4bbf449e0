import { ConsoleLogger } from '@nestjs/common';

const LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LEVELS)[number];

/** Nest logger levels at or above `level`. */
export function nestLogLevels(level: LogLevel): LogLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(level) + 1);
}

/**
 * Nest's own start-up chatter: a line per module, per controller and per route (about 90 for the
 * API). It says nothing an operator acts on, so it is logged at debug level.
 */
const FRAMEWORK_CONTEXTS = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

class AppLogger extends ConsoleLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context)) {
      super.debug(message, ...optionalParams);
    } else {
      super.log(message, ...optionalParams);
    }
  }
}

/** The logger of the API and the worker: `level` and above, the framework's chatter at debug. */
export function nestLogger(level: LogLevel): ConsoleLogger {
  return new AppLogger({ logLevels: nestLogLevels(level) });
}
