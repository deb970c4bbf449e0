import { createHmac, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import { signAccessToken, verifyAccessToken } from './access-token';

const SECRET = 'test-secret-of-at-least-thirty-two-characters';
const NOW = new Date('2027-01-12T09:00:00Z');
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const hs = (alg: 'sha256' | 'sha512', input: string, key = SECRET): string =>
  createHmac(alg, key).update(input).digest('base64url');

function validToken(): { token: string; payload: Record<string, unknown> } {
  const { token, claims } = signAccessToken({ sub: 'u-1', role: 'coordinator' }, SECRET, {
    ttlSeconds: 900,
    now: NOW,
  });
  return { token, payload: { ...claims } };
}

describe(verifyAccessToken.name, () => {
  it('accepts its own token and returns the claims', () => {
    const { token } = validToken();
    const result = verifyAccessToken(token, SECRET, { now: new Date(NOW.getTime() + 60_000) });
    expect(result).toEqual({
      ok: true,
      claims: expect.objectContaining({
        sub: 'u-1',
        role: 'coordinator',
        iat: NOW.getTime() / 1000,
        exp: NOW.getTime() / 1000 + 900,
        iss: 'entente',
        aud: 'entente-api',
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      }),
    });
    const [header] = token.split('.');
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({
      alg: 'HS256',
      typ: 'JWT',
    });
  });

  it('refuses alg none, with or without a signature', () => {
    const { payload } = validToken();
    const input = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}`;
    expect(verifyAccessToken(`${input}.`, SECRET, { now: NOW })).toMatchObject({ ok: false });
    expect(verifyAccessToken(`${input}.${hs('sha256', input)}`, SECRET, { now: NOW })).toEqual({
      ok: false,
      reason: 'unsupported_header',
    });
  });

  it('refuses HS512, even signed with the right key', () => {
    const { payload } = validToken();
    const input = `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(payload)}`;
    expect(verifyAccessToken(`${input}.${hs('sha512', input)}`, SECRET, { now: NOW })).toEqual({
      ok: false,
      reason: 'unsupported_header',
    });
  });

  it('refuses RS256 (no key confusion), and a header with extra fields', () => {
    const { payload } = validToken();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(payload)}`;
    const rs = rsaSign('sha256', Buffer.from(input), privateKey).toString('base64url');
    expect(verifyAccessToken(`${input}.${rs}`, SECRET, { now: NOW })).toEqual({
      ok: false,
      reason: 'unsupported_header',
    });
    const kid = `${b64({ alg: 'HS256', typ: 'JWT', kid: '../../dev/null' })}.${b64(payload)}`;
    expect(verifyAccessToken(`${kid}.${hs('sha256', kid)}`, SECRET, { now: NOW })).toEqual({
      ok: false,
      reason: 'unsupported_header',
    });
  });

  it('refuses a token signed with another key', () => {
    const { token } = signAccessToken(
      { sub: 'u-1', role: 'admin' },
      'another-secret-of-32-characters-or-more',
      {
        ttlSeconds: 900,
        now: NOW,
      },
    );
    expect(verifyAccessToken(token, SECRET, { now: NOW })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a tampered payload (a coordinator making itself admin)', () => {
    const { token, payload } = validToken();
    const [header, , signature] = token.split('.');
    const forged = `${header}.${b64({ ...payload, role: 'admin' })}.${signature}`;
    expect(verifyAccessToken(forged, SECRET, { now: NOW })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses an expired token, from exp on', () => {
    const { token } = validToken();
    const at = (s: number): Date => new Date(NOW.getTime() + s * 1000);
    expect(verifyAccessToken(token, SECRET, { now: at(899) }).ok).toBe(true);
    expect(verifyAccessToken(token, SECRET, { now: at(900) })).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses a token issued in the future, beyond clock skew', () => {
    const { token } = validToken();
    expect(verifyAccessToken(token, SECRET, { now: new Date(NOW.getTime() - 10_000) }).ok).toBe(
      true,
    );
    expect(verifyAccessToken(token, SECRET, { now: new Date(NOW.getTime() - 120_000) })).toEqual({
      ok: false,
      reason: 'not_yet_valid',
    });
  });

  it('refuses a wrong audience or issuer, even correctly signed', () => {
    const { payload } = validToken();
    for (const [claims, reason] of [
      [{ ...payload, aud: 'another-api' }, 'wrong_audience'],
      [{ ...payload, iss: 'someone-else' }, 'wrong_issuer'],
    ] as const) {
      const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
      expect(verifyAccessToken(`${input}.${hs('sha256', input)}`, SECRET, { now: NOW })).toEqual({
        ok: false,
        reason,
      });
    }
  });

  it('refuses garbage', () => {
    for (const bad of ['', 'a.b', 'a.b.c.d', '!!.??.**', 'x'.repeat(5000)]) {
      expect(verifyAccessToken(bad, SECRET, { now: NOW }).ok).toBe(false);
    }
  });
});
