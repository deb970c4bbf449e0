import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The one format of Entente's signed, account-less links (approval `/a/<token>`, task
 * `/t/<token>`): base64url(JSON payload) + '.' + base64url(HMAC-SHA256(secret, domain + payloadPart)).
 *
 * Each kind of link signs under its own domain string, so a token of one kind never verifies as
 * another, even with the same secret. There is no header and no algorithm negotiation: anything
 * that is not exactly two canonical base64url parts carrying the kind's payload shape is
 * 'malformed'. Secrets rotate the same way for every kind: the first secret signs, any listed
 * secret verifies.
 */

const MAX_TOKEN_LENGTH = 1024;
const SIGNATURE_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a link does not verify. */
export type LinkFailure = 'malformed' | 'bad_signature' | 'expired';

/** A link's claims as verified: what it names, when it expires and when it was issued. */
export type VerifiedClaims<Ids> = Ids & { expiresAt: Date; issuedAt: Date };

export type LinkVerification<Ids> =
  | { ok: true; claims: VerifiedClaims<Ids> }
  | { ok: false; reason: 'malformed' | 'bad_signature' }
  /** Genuine, but too late: the claims say whom to tell (in their language), nothing more. */
  | { ok: false; reason: 'expired'; claims: VerifiedClaims<Ids> };

/**
 * One kind of link: its signing domain, the payload version it signs, and how what it names
 * (`Ids`: approval and contact, or partnership, task and contact) maps to the payload's short
 * keys and back. Besides those keys a payload carries only `v`, `exp` and `iat`.
 */
export interface LinkKind<Ids> {
  domain: string;
  version: number;
  /** The keys of each payload version that verifies (the signed one and any still accepted). */
  shapes: Readonly<Record<number, { required: readonly string[]; optional?: readonly string[] }>>;
  /** The payload's own keys for `ids`, normalised; throws a TypeError for an id of the wrong form. */
  write(ids: Ids): Record<string, string>;
  /** What a payload of an accepted shape names; undefined when a value has the wrong form. */
  read(record: Record<string, unknown>): Ids | undefined;
}

interface KindPayload<Ids> extends TimedPayload {
  ids: Ids;
}

/** Every payload carries its expiry and issue time, in seconds since the epoch. */
interface TimedPayload {
  exp: number;
  iat: number;
}

type PayloadVerification<P> =
  | { ok: true; payload: P }
  | { ok: false; reason: 'malformed' | 'bad_signature' }
  /** Genuine but past its expiry: the payload is ours, so a page may still address its person. */
  | { ok: false; reason: 'expired'; payload: P };

export function toSeconds(date: Date, what: string): number {
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${what} must be a valid Date`);
  return Math.floor(ms / 1000);
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function isEpochSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function requireSecrets(secret: string | string[]): string[] {
  const secrets = Array.isArray(secret) ? secret : [secret];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new Error('link secret(s) must be non-empty strings');
  }
  return secrets;
}

function mac(domain: string, secret: string, payloadPart: string): Buffer {
  return createHmac('sha256', secret)
    .update(domain + payloadPart)
    .digest();
}

/** Strict base64url decode: rejects padding, foreign characters and non-canonical encodings. */
function decodeBase64url(part: string): Buffer | undefined {
  if (!BASE64URL.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

/**
 * A JSON object with exactly the required keys and no others but the optional ones; undefined
 * for anything else (arrays, null, not JSON).
 */
function parseRecord(
  bytes: Buffer,
  required: readonly string[],
  optional: readonly string[] = [],
): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!required.every((k) => keys.includes(k))) return undefined;
  if (!keys.every((k) => required.includes(k) || optional.includes(k))) return undefined;
  if (!isEpochSeconds(record.exp) || !isEpochSeconds(record.iat)) return undefined;
  return record;
}

/** Signs `payload` under `domain` with `secret` (the current rotation key). */
function signPayload(domain: string, payload: TimedPayload, secret: string): string {
  const [signingSecret] = requireSecrets(secret);
  if (payload.exp <= payload.iat) throw new RangeError('expiresAt must be in the future');
  const payloadPart = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${payloadPart}.${mac(domain, signingSecret, payloadPart).toString('base64url')}`;
}

/**
 * Verifies a token of one kind against one secret or a rotation list. `parse` checks the payload's
 * shape (undefined: malformed). The signature is checked before the expiry, so 'expired' is only
 * ever said of a token we issued.
 */
function verifyPayload<P extends TimedPayload>(
  domain: string,
  token: string,
  secret: string | string[],
  now: Date,
  parse: (bytes: Buffer) => P | undefined,
): PayloadVerification<P> {
  const secrets = requireSecrets(secret);
  const nowSeconds = toSeconds(now, 'now');

  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    return { ok: false, reason: 'malformed' };
  }
  const parts = token.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'malformed' };
  const [payloadPart, signaturePart] = parts;
  const payloadBytes = decodeBase64url(payloadPart);
  const signature = decodeBase64url(signaturePart);
  if (!payloadBytes || !signature) return { ok: false, reason: 'malformed' };
  const payload = parse(payloadBytes);
  if (!payload) return { ok: false, reason: 'malformed' };

  let valid = false;
  for (const s of secrets) {
    const expected = mac(domain, s, payloadPart);
    // timingSafeEqual throws on length mismatch: compare against itself to keep timing flat.
    const sameLength = signature.length === SIGNATURE_BYTES;
    const match = timingSafeEqual(expected, sameLength ? signature : expected) && sameLength;
    valid = match || valid;
  }
  if (!valid) return { ok: false, reason: 'bad_signature' };
  if (nowSeconds >= payload.exp) return { ok: false, reason: 'expired', payload };
  return { ok: true, payload };
}

/** The payload of a token of `kind`, when its version is accepted and its shape is right. */
function parseKind<Ids>(kind: LinkKind<Ids>, bytes: Buffer): KindPayload<Ids> | undefined {
  let version: unknown;
  try {
    version = (JSON.parse(bytes.toString('utf8')) as { v?: unknown } | null)?.v;
  } catch {
    return undefined;
  }
  const shape = typeof version === 'number' ? kind.shapes[version] : undefined;
  if (!shape) return undefined;
  const record = parseRecord(bytes, ['v', ...shape.required, 'exp', 'iat'], shape.optional);
  const ids = record && kind.read(record);
  if (!record || !ids) return undefined;
  return { ids, exp: record.exp as number, iat: record.iat as number };
}

function claimsOf<Ids>(payload: KindPayload<Ids>): VerifiedClaims<Ids> {
  return {
    ...payload.ids,
    expiresAt: new Date(payload.exp * 1000),
    issuedAt: new Date(payload.iat * 1000),
  };
}

/** Signs a link of `kind` for `claims` with `secret` (the current one of a rotation). */
export function signLink<Ids>(
  kind: LinkKind<Ids>,
  claims: Ids & { expiresAt: Date },
  secret: string,
  now: Date,
): string {
  const payload = {
    v: kind.version,
    ...kind.write(claims),
    exp: toSeconds(claims.expiresAt, 'expiresAt'),
    iat: toSeconds(now, 'now'),
  };
  return signPayload(kind.domain, payload, secret);
}

/**
 * Verifies a link of `kind` against one secret or a rotation list (any listed secret verifies).
 * A successful result does NOT authorise anything by itself: the caller checks the claims
 * against what is recorded.
 */
export function verifyLink<Ids>(
  kind: LinkKind<Ids>,
  token: string,
  secret: string | string[],
  now: Date,
): LinkVerification<Ids> {
  const result = verifyPayload(kind.domain, token, secret, now, (bytes) => parseKind(kind, bytes));
  if (result.ok) return { ok: true, claims: claimsOf(result.payload) };
  if (result.reason === 'expired') {
    return { ok: false, reason: 'expired', claims: claimsOf(result.payload) };
  }
  return { ok: false, reason: result.reason };
}

/**
 * The sign and verify of one kind of link, with `now` defaulting to the current time: each kind's
 * module exports these under its own names.
 */
export function linkFunctions<Ids>(kind: LinkKind<Ids>): {
  sign(claims: Ids & { expiresAt: Date }, secret: string, now?: Date): string;
  verify(token: string, secret: string | string[], now?: Date): LinkVerification<Ids>;
} {
  return {
    sign: (claims, secret, now = new Date()) => signLink(kind, claims, secret, now),
    verify: (token, secret, now = new Date()) => verifyLink(kind, token, secret, now),
  };
}

/** `value` lower-cased, when it is a UUID; a TypeError naming `name` otherwise. */
export function uuidClaim(name: string, value: string): string {
  if (!isUuid(value)) throw new TypeError(`${name} must be a UUID`);
  return value.toLowerCase();
}

/** `days` (a positive number) after `sentAt`: the expiry of a link valid for that long once sent. */
export function daysAfter(sentAt: Date, days: number): Date {
  toSeconds(sentAt, 'sentAt');
  if (!Number.isFinite(days) || days <= 0) throw new RangeError('days must be a positive number');
  return new Date(sentAt.getTime() + days * 86_400_000);
}

/** Whether two ids are the same: UUIDs compare case-insensitively (a template task id is lower-case). */
export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
