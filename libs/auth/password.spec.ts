// The scrypt calls are observed (not replaced): the real function runs underneath.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, scrypt: jest.fn(actual.scrypt) };
});

import * as crypto from 'node:crypto';
import {
  dummyVerifyPassword,
  hashPassword,
  needsRehash,
  passwordProblems,
  SCRYPT_PARAMS,
  scryptParamsFor,
  verifyPassword,
} from './password';

describe(hashPassword.name, () => {
  it('round-trips: the right password verifies, any other does not', async () => {
    const encoded = await hashPassword('correct horse battery staple');
    expect(await verifyPassword('correct horse battery staple', encoded)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', encoded)).toBe(false);
    expect(await verifyPassword('', encoded)).toBe(false);
  });

  it("encodes scrypt$N$r$p$salt$hash with OWASP's N=2^17, r=8, p=1, a 16-byte salt and a 32-byte key", async () => {
    const encoded = await hashPassword('correct horse battery staple');
    const [scheme, N, r, p, salt, key] = encoded.split('$');
    expect([scheme, Number(N), Number(r), Number(p)]).toEqual(['scrypt', 2 ** 17, 8, 1]);
    expect(SCRYPT_PARAMS).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key, 'base64url')).toHaveLength(32);
    expect(needsRehash(encoded)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).not.toBe(b);
  });

  it('verifies with the parameters of the encoding, and flags weaker ones for a re-hash', async () => {
    // Made with N=2^14 (as an older release might have): still verifies, but should be re-hashed.
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.alloc(16, 7);
    const key = scryptSync('old password 123', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const old = `scrypt$16384$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    expect(await verifyPassword('old password 123', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    // The previous release's N=2^15 too.
    const key15 = scryptSync('old password 123', salt, 32, {
      N: 2 ** 15,
      r: 8,
      p: 1,
      maxmem: 64 * 1024 * 1024,
    });
    const release = `scrypt$32768$8$1$${salt.toString('base64url')}$${key15.toString('base64url')}`;
    expect(await verifyPassword('old password 123', release)).toBe(true);
    expect(needsRehash(release)).toBe(true);
  });

  it('hashes at the configured cost, and re-hashes only what is weaker than it', async () => {
    const cheap = await hashPassword('test password 123', scryptParamsFor(10));
    expect(cheap.split('$').slice(0, 4)).toEqual(['scrypt', '1024', '8', '1']);
    expect(await verifyPassword('test password 123', cheap)).toBe(true);
    expect(needsRehash(cheap, scryptParamsFor(10))).toBe(false);
    expect(needsRehash(cheap)).toBe(true);
    expect(needsRehash(await hashPassword('test password 123'), scryptParamsFor(10))).toBe(false);
    expect(scryptParamsFor(17)).toEqual(SCRYPT_PARAMS);
  });

  it('refuses malformed or absurd encodings without throwing', async () => {
    for (const bad of [
      '',
      'plain',
      'sha256$abc',
      'scrypt$15$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ]) {
      expect(await verifyPassword('anything at all', bad)).toBe(false);
    }
  });

  it('compares Unicode passwords in one normal form', async () => {
    const composed = 'contraseña-segura';
    const decomposed = 'contrasen\u0303a-segura';
    expect(await verifyPassword(decomposed, await hashPassword(composed))).toBe(true);
  });

  it('spends the work of a real verification for an unknown account: the same scrypt call', async () => {
    // The time a login takes is the scrypt work it does, so the claim is checked on the work
    // itself (what a stopwatch on a busy machine cannot tell apart reliably).
    await dummyVerifyPassword('warm up'); // the dummy hash is made once
    const encoded = await hashPassword('correct horse battery staple');
    const scrypt = jest.mocked(crypto.scrypt);
    const calls = (): unknown[][] =>
      scrypt.mock.calls.map(([, salt, keylen, options]) => [
        (salt as Buffer).length,
        keylen,
        options,
      ]);
    scrypt.mockClear();
    await verifyPassword('wrong password here', encoded);
    const real = calls();
    scrypt.mockClear();
    expect(await dummyVerifyPassword('wrong password here')).toBe(false);
    const dummy = calls();
    expect(real).toHaveLength(1);
    expect(dummy).toEqual(real);
    expect(dummy[0][2]).toMatchObject(SCRYPT_PARAMS);
  });
});

describe(passwordProblems.name, () => {
  it('wants 12 to 256 characters', () => {
    expect(passwordProblems('short')).toEqual(['must be at least 12 characters']);
    expect(passwordProblems('a'.repeat(11))).toHaveLength(1);
    expect(passwordProblems('a'.repeat(12))).toEqual([]);
    expect(passwordProblems('a'.repeat(256))).toEqual([]);
    expect(passwordProblems('a'.repeat(257))).toEqual(['must be at most 256 characters']);
    // Characters, not UTF-16 units or bytes.
    expect(passwordProblems('密码'.repeat(6))).toEqual([]);
  });
});
