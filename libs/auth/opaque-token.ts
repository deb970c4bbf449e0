import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Refresh tokens and personal API tokens: 32 random bytes, shown to their owner once and stored
 * only as their SHA-256. A fast hash is right here, unlike for passwords: 256 bits of entropy
 * cannot be guessed however fast each guess is, so a slow hash would only slow every request.
 */
const SECRET_BYTES = 32;
const SECRET = /^[A-Za-z0-9_-]{43}$/;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
export const API_TOKEN_PREFIX = 'ent_pat_';
const API_TOKEN = new RegExp(`^${API_TOKEN_PREFIX}(${UUID})_([A-Za-z0-9_-]{43})$`);

export function randomSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/** Hex SHA-256: what the database keeps of a refresh or API token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function tokenHashesEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export function newRefreshToken(): string {
  return randomSecret();
}

export function isRefreshTokenShaped(token: string): boolean {
  return SECRET.test(token);
}

/** `ent_pat_<tokenId>_<secret>`: the id makes the lookup a primary-key read, the secret proves it. */
export function newApiToken(tokenId: string): string {
  if (!new RegExp(`^${UUID}$`).test(tokenId))
    throw new RangeError('tokenId must be a lower-case uuid');
  return `${API_TOKEN_PREFIX}${tokenId}_${randomSecret()}`;
}

export function parseApiToken(token: string): { tokenId: string } | undefined {
  const match = API_TOKEN.exec(token);
  return match ? { tokenId: match[1] } : undefined;
}
