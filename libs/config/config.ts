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

/** Dev and test only; production must set APPROVAL_LINK_SECRET (the schema enforces it). */
const DEV_APPROVAL_LINK_SECRET = 'entente-dev-only-approval-link-secret-do-not-use';

/** The secret that signs approval links. */
export function approvalLinkSecret(config: ConfigValues): string {
  return config.APPROVAL_LINK_SECRET ?? DEV_APPROVAL_LINK_SECRET;
}

/** Dev and test only; production must set AUTH_TOKEN_SECRET (the schema enforces it). */
const DEV_AUTH_TOKEN_SECRET = 'entente-dev-only-access-token-secret-do-not-use';

/** The secret that signs access tokens (JWT, HS256). */
export function authTokenSecret(config: ConfigValues): string {
  return config.AUTH_TOKEN_SECRET ?? DEV_AUTH_TOKEN_SECRET;
}

/** Where people reach the API from outside (links in e-mails). */
export function publicBaseUrl(config: ConfigValues): string {
  return (config.PUBLIC_BASE_URL ?? `http://localhost:${config.API_PORT}`).replace(/\/+$/, '');
}
