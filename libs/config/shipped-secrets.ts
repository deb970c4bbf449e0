/**
 * Secret values that are, or once were, in this repository, so anyone can read them: the
 * development defaults below, and the fallbacks that docker-compose.yml used to set. Outside
 * NODE_ENV=development or test the config refuses every one of them (and anything that looks like
 * a placeholder, see {@link isShippedSecret}). test/compose.spec.ts checks that every
 * secret-looking value in docker-compose.yml and .env.example is refused, so a new one cannot
 * slip in unlisted.
 */

/** Signs approval and task links in development and tests only. */
export const DEV_APPROVAL_LINK_SECRET = 'entente-dev-only-approval-link-secret-do-not-use';

/** Signs access tokens in development and tests only. */
export const DEV_AUTH_TOKEN_SECRET = 'entente-dev-only-access-token-secret-do-not-use';

export const SHIPPED_SECRETS: readonly string[] = [
  DEV_APPROVAL_LINK_SECRET,
  DEV_AUTH_TOKEN_SECRET,
  // docker-compose.yml's fallbacks until December 2026.
  'change-me-compose-approval-link-secret-0000',
  'change-me-compose-access-token-secret-00000',
];

/** Words that only a placeholder or a sample carries, never a generated secret. */
const PLACEHOLDER =
  /change[-_ .]?me|do[-_ .]?not[-_ .]?use|replace[-_ .]?(me|with)|dev[-_ .]?only/i;

/** Fewer distinct characters than this is typed, not generated (`aaaa…`, `0123012301230123…`). */
const MIN_DISTINCT_CHARACTERS = 10;

/**
 * Why `value` must not sign anything in production, or undefined. A listed value, a placeholder,
 * or a string with too few distinct characters to have come from a generator.
 */
export function shippedSecretProblem(value: string): string | undefined {
  if (SHIPPED_SECRETS.includes(value) || PLACEHOLDER.test(value)) {
    return 'is a value that ships in the repository (a placeholder or a development default): generate one of your own, e.g. `openssl rand -base64 48`';
  }
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS) {
    return `has fewer than ${MIN_DISTINCT_CHARACTERS} distinct characters: generate one, e.g. \`openssl rand -base64 48\``;
  }
  return undefined;
}

export function isShippedSecret(value: string): boolean {
  return shippedSecretProblem(value) !== undefined;
}
