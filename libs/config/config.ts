import { configSchema, ConfigValues } from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once into a typed, frozen object; throws naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ConfigValues {
  // Empty strings mean "unset", as in most .env tooling.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => {
        const name = i.path.join('.') || '(root)';
        const message =
          i.code === 'invalid_type' && i.received === 'undefined' ? 'is required' : i.message;
        return `${name} ${message}`;
      }),
    );
  }
  return Object.freeze(result.data);
}
