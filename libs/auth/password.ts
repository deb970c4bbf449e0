import { randomBytes, scrypt as scryptCallback, ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with scrypt, a memory-hard function: each guess costs an attacker 128 MiB and
 * a few hundred milliseconds, so a stolen `users` table cannot be brute-forced on GPUs the way a
 * fast hash could. The parameters are OWASP's (Password Storage Cheat Sheet: N=2^17, r=8, p=1).
 * Encoded as `scrypt$N$r$p$salt$hash` (base64url), so the parameters can rise later:
 * `verifyPassword` reads them from the encoding, and `needsRehash` says when to re-hash at login.
 */
export const SCRYPT_PARAMS: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

/** scrypt's cost parameters; N a power of two. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * The parameters for `PASSWORD_HASH_COST` (log2 of N): 17 is OWASP's and the default; the config
 * allows less only under NODE_ENV=test, where the suite creates and logs in hundreds of users.
 */
export function scryptParamsFor(log2N: number): ScryptParams {
  return { ...SCRYPT_PARAMS, N: 2 ** log2N };
}
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds for parameters read back from an encoding (a corrupt row must not allocate gigabytes). */
const MAX_LOG2_N = 20;
const MAX_R = 32;
const MAX_P = 16;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

/** scrypt needs about 128·N·r bytes; Node's default cap (32 MiB) is far too small for N=2^17, r=8. */
function maxmemFor(N: number, r: number): number {
  return 2 * 128 * N * r;
}

function scrypt(
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, keylen, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Unicode passwords are compared in one normal form (NIST SP 800-63B), so "é" typed either way matches. */
function normalise(password: string): string {
  return password.normalize('NFKC');
}

/** What is wrong with a new password; empty when it is acceptable. Lengths count characters. */
export function passwordProblems(password: string): string[] {
  const length = [...normalise(password)].length;
  if (length < PASSWORD_MIN_LENGTH) return [`must be at least ${PASSWORD_MIN_LENGTH} characters`];
  if (length > PASSWORD_MAX_LENGTH) return [`must be at most ${PASSWORD_MAX_LENGTH} characters`];
  return [];
}

export async function hashPassword(
  password: string,
  params: ScryptParams = SCRYPT_PARAMS,
): Promise<string> {
  const { N, r, p } = params;
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(normalise(password), salt, KEY_BYTES, {
    N,
    r,
    p,
    maxmem: maxmemFor(N, r),
  });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface Decoded {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function decode(encoded: string): Decoded | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^\d{1,8}$/.test(s) ? Number(s) : NaN));
  const validN = Number.isInteger(Math.log2(N)) && N >= 2 && N <= 2 ** MAX_LOG2_N;
  if (!validN || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P)) return undefined;
  const salt = Buffer.from(parts[4], 'base64url');
  const key = Buffer.from(parts[5], 'base64url');
  if (salt.length < SALT_BYTES || key.length < 16) return undefined;
  return { N, r, p, salt, key };
}

/** Whether `password` matches `encoded`; the comparison takes the same time wherever they differ. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const d = decode(encoded);
  if (!d) return false;
  const key = await scrypt(normalise(password), d.salt, d.key.length, {
    N: d.N,
    r: d.r,
    p: d.p,
    maxmem: maxmemFor(d.N, d.r),
  });
  return timingSafeEqual(key, d.key);
}

/** True when `encoded` was made with weaker parameters than `params` (re-hash after a good login). */
export function needsRehash(encoded: string, params: ScryptParams = SCRYPT_PARAMS): boolean {
  const d = decode(encoded);
  if (!d) return true;
  return d.N < params.N || d.r < params.r || d.p < params.p || d.key.length < KEY_BYTES;
}

/** One dummy hash per parameters, built once. */
const dummyHashes = new Map<string, Promise<string>>();

/**
 * Spends the time of a real verification, for a login whose e-mail matches no account, so the
 * response time does not tell which e-mails have accounts. Always false.
 */
export async function dummyVerifyPassword(
  password: string,
  params: ScryptParams = SCRYPT_PARAMS,
): Promise<false> {
  const key = `${params.N}$${params.r}$${params.p}`;
  let dummyHash = dummyHashes.get(key);
  if (!dummyHash) {
    dummyHash = hashPassword('entente-dummy-password-for-unknown-accounts', params);
    dummyHashes.set(key, dummyHash);
  }
  await verifyPassword(password, await dummyHash);
  return false;
}
