import { configSchema, ConfigValues, usesDevelopmentSecrets } from './config.schema';
import { DEV_APPROVAL_LINK_SECRET, DEV_AUTH_TOKEN_SECRET } from './shipped-secrets';

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
    const problems = result.error.issues.map((i) => {
      const name = i.path.join('.') || '(root)';
      const message =
        i.code === 'invalid_type' && i.received === 'undefined' ? 'is required' : i.message;
      return `${name} ${message}`;
    });
    // Say why a process someone started by hand wants production secrets.
    if (cleaned.NODE_ENV === undefined && problems.some((p) => /_SECRETS? /.test(p))) {
      problems.push(
        'NODE_ENV is unset, which counts as production (set NODE_ENV=development to run on the development secrets)',
      );
    }
    throw new ConfigError(problems);
  }
  return Object.freeze(result.data);
}

/**
 * A development secret, only where the schema allows one. Outside development and test the
 * schema has already refused a missing secret; this guards against a config built another way.
 */
function developmentSecret(
  config: Pick<ConfigValues, 'NODE_ENV'>,
  variable: string,
  secret: string,
): string {
  if (!usesDevelopmentSecrets(config.NODE_ENV)) {
    throw new ConfigError([`${variable} is required unless NODE_ENV is development or test`]);
  }
  return secret;
}

/**
 * The secret that signs approval and task links (the current one of a rotation). Takes only the
 * two variables it reads, so a tool beside the platform (the demo seed) can sign a partner's link
 * without the whole configuration.
 */
export function approvalLinkSecret(
  config: Pick<ConfigValues, 'APPROVAL_LINK_SECRET' | 'NODE_ENV'>,
): string {
  return (
    config.APPROVAL_LINK_SECRET ??
    developmentSecret(config, 'APPROVAL_LINK_SECRET', DEV_APPROVAL_LINK_SECRET)
  );
}

/**
 * The secrets a link may be signed with: the current one first, then those of
 * APPROVAL_LINK_PREVIOUS_SECRETS, so links sent before a rotation still open until they expire.
 */
export function approvalLinkSecrets(config: ConfigValues): string[] {
  return [approvalLinkSecret(config), ...config.APPROVAL_LINK_PREVIOUS_SECRETS];
}

/** The secret that signs access tokens (JWT, HS256). */
export function authTokenSecret(config: ConfigValues): string {
  return (
    config.AUTH_TOKEN_SECRET ??
    developmentSecret(config, 'AUTH_TOKEN_SECRET', DEV_AUTH_TOKEN_SECRET)
  );
}

/** Where people reach the API from outside (links in e-mails). */
export function publicBaseUrl(config: ConfigValues): string {
  return (config.PUBLIC_BASE_URL ?? `http://localhost:${config.API_PORT}`).replace(/\/+$/, '');
}
