import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, account-less approval links (`GET /a/<token>`).
 *
 * Token = base64url(JSON payload) + '.' + base64url(HMAC-SHA256(secret, DOMAIN + payloadPart)).
 * There is no header and no algorithm negotiation: anything that is not exactly two canonical
 * base64url parts carrying the expected payload shape is 'malformed'.
 *
 * SECURITY — claims binding: a valid token only proves that *we* issued a link for
 * (approvalId, contactId). Callers MUST check that the claims match the approval being decided
 * and the contact recorded on it (use {@link assertBoundTo}) before acting; never trust an
 * approval id taken from the URL path, query or body instead of the claims.
 */

const SIGNING_DOMAIN = 'entente.approval-link.v1.';
const TOKEN_VERSION = 1;
const MAX_TOKEN_LENGTH = 1024;
const SIGNATURE_BYTES = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ApprovalLinkPurpose = 'decide';

export interface ApprovalLinkClaims {
  approvalId: string;
  contactId: string;
  partnershipId: string;
  expiresAt: Date;
  purpose?: ApprovalLinkPurpose;
}

export interface VerifiedApprovalLinkClaims extends ApprovalLinkClaims {
  issuedAt: Date;
}

export type ApprovalLinkFailure = 'malformed' | 'bad_signature' | 'expired';

export type ApprovalLinkVerification =
  { ok: true; claims: VerifiedApprovalLinkClaims } | { ok: false; reason: ApprovalLinkFailure };

/** Wire payload with short keys to keep links compact. */
interface Payload {
  v: typeof TOKEN_VERSION;
  a: string; // approvalId
  c: string; // contactId
  p: string; // partnershipId
  exp: number; // seconds since epoch
  iat: number; // seconds since epoch
  u?: ApprovalLinkPurpose;
}

const REQUIRED_KEYS = ['v', 'a', 'c', 'p', 'exp', 'iat'];
const OPTIONAL_KEYS = ['u'];

function toSeconds(date: Date, what: string): number {
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`${what} must be a valid Date`);
  return Math.floor(ms / 1000);
}

function mac(secret: string, payloadPart: string): Buffer {
  return createHmac('sha256', secret)
    .update(SIGNING_DOMAIN + payloadPart)
    .digest();
}

function requireSecrets(secret: string | string[]): string[] {
  const secrets = Array.isArray(secret) ? secret : [secret];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new Error('approval link secret(s) must be non-empty strings');
  }
  return secrets;
}

/** Strict base64url decode: rejects padding, foreign characters and non-canonical encodings. */
function decodeBase64url(part: string): Buffer | undefined {
  if (!BASE64URL.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : undefined;
}

function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function isEpochSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parsePayload(bytes: Buffer): Payload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!REQUIRED_KEYS.every((k) => keys.includes(k))) return undefined;
  if (!keys.every((k) => REQUIRED_KEYS.includes(k) || OPTIONAL_KEYS.includes(k))) return undefined;
  if (record.v !== TOKEN_VERSION) return undefined;
  if (!isUuid(record.a) || !isUuid(record.c) || !isUuid(record.p)) return undefined;
  if (!isEpochSeconds(record.exp) || !isEpochSeconds(record.iat)) return undefined;
  if ('u' in record && record.u !== 'decide') return undefined;
  return record as unknown as Payload;
}

/** Signs a compact URL-safe approval link token with `secret` (the current/first rotation key). */
export function signApprovalLink(
  claims: ApprovalLinkClaims,
  secret: string,
  now: Date = new Date(),
): string {
  const [signingSecret] = requireSecrets(secret);
  for (const [name, id] of [
    ['approvalId', claims.approvalId],
    ['contactId', claims.contactId],
    ['partnershipId', claims.partnershipId],
  ] as const) {
    if (!isUuid(id)) throw new TypeError(`${name} must be a UUID`);
  }
  if (claims.purpose !== undefined && claims.purpose !== 'decide') {
    throw new TypeError('purpose must be "decide"');
  }
  const iat = toSeconds(now, 'now');
  const exp = toSeconds(claims.expiresAt, 'expiresAt');
  if (exp <= iat) throw new RangeError('expiresAt must be in the future');

  const payload: Payload = {
    v: TOKEN_VERSION,
    a: claims.approvalId.toLowerCase(),
    c: claims.contactId.toLowerCase(),
    p: claims.partnershipId.toLowerCase(),
    exp,
    iat,
    ...(claims.purpose ? { u: claims.purpose } : {}),
  };
  const payloadPart = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${payloadPart}.${mac(signingSecret, payloadPart).toString('base64url')}`;
}

/**
 * Verifies a token against one secret or a rotation list (any listed secret verifies).
 * A successful result does NOT authorise a decision by itself — see {@link assertBoundTo}.
 */
export function verifyApprovalLink(
  token: string,
  secret: string | string[],
  now: Date = new Date(),
): ApprovalLinkVerification {
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
  const payload = parsePayload(payloadBytes);
  if (!payload) return { ok: false, reason: 'malformed' };

  let valid = false;
  for (const s of secrets) {
    const expected = mac(s, payloadPart);
    // timingSafeEqual throws on length mismatch: compare against itself to keep timing flat.
    const sameLength = signature.length === SIGNATURE_BYTES;
    const match = timingSafeEqual(expected, sameLength ? signature : expected) && sameLength;
    valid = match || valid;
  }
  if (!valid) return { ok: false, reason: 'bad_signature' };

  if (nowSeconds >= payload.exp) return { ok: false, reason: 'expired' };

  return {
    ok: true,
    claims: {
      approvalId: payload.a,
      contactId: payload.c,
      partnershipId: payload.p,
      expiresAt: new Date(payload.exp * 1000),
      issuedAt: new Date(payload.iat * 1000),
      ...(payload.u ? { purpose: payload.u } : {}),
    },
  };
}

/** Link lifetime: the approval deadline plus a grace period (default 72h). */
export function approvalLinkExpiry(deadline: Date, graceHours = 72): Date {
  toSeconds(deadline, 'deadline');
  if (!Number.isFinite(graceHours) || graceHours < 0) {
    throw new RangeError('graceHours must be a non-negative number');
  }
  return new Date(deadline.getTime() + graceHours * 3_600_000);
}

/**
 * True only if verified claims are bound to this approval and this contact. Callers MUST check
 * this (against ids loaded from the database, not from the request) before recording a decision.
 */
export function assertBoundTo(
  claims: Pick<ApprovalLinkClaims, 'approvalId' | 'contactId'>,
  expected: { approvalId: string; contactId: string },
): boolean {
  return (
    typeof expected.approvalId === 'string' &&
    typeof expected.contactId === 'string' &&
    claims.approvalId.toLowerCase() === expected.approvalId.toLowerCase() &&
    claims.contactId.toLowerCase() === expected.contactId.toLowerCase()
  );
}
