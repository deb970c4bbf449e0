import { randomUUID } from 'node:crypto';
import {
  hashToken,
  isRefreshTokenShaped,
  newApiToken,
  newRefreshToken,
  parseApiToken,
  tokenHashesEqual,
} from './opaque-token';

describe('opaque tokens', () => {
  it('makes 256-bit refresh tokens, never the same twice', () => {
    const a = newRefreshToken();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(isRefreshTokenShaped(a)).toBe(true);
    expect(a).not.toBe(newRefreshToken());
  });

  it('formats API tokens as ent_pat_<id>_<secret> and parses the id back', () => {
    const id = randomUUID();
    const token = newApiToken(id);
    expect(token).toMatch(new RegExp(`^ent_pat_${id}_[A-Za-z0-9_-]{43}$`));
    expect(parseApiToken(token)).toEqual({ tokenId: id });
    expect(parseApiToken(`ent_pat_${id}_short`)).toBeUndefined();
    expect(parseApiToken(token.replace('ent_pat_', 'ent_xyz_'))).toBeUndefined();
  });

  it('stores a SHA-256 and compares digests', () => {
    const token = newRefreshToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHashesEqual(hashToken(token), hashToken(token))).toBe(true);
    expect(tokenHashesEqual(hashToken(token), hashToken(`${token}x`))).toBe(false);
    expect(tokenHashesEqual('', '')).toBe(false);
  });
});
