import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { USER_ROLES } from '../domain';
import type { UserRole } from '../domain';

/**
 * Access tokens: JWTs (RFC 7519) signed with HMAC-SHA256 and nothing else. The header must be
 * exactly `{"alg":"HS256","typ":"JWT"}`: `alg: none`, HS512, RS256 (the classic key-confusion
 * attack) and any extra header field are refused before the signature is even looked at.
 */
export const ACCESS_TOKEN_ISSUER = 'entente';
export const ACCESS_TOKEN_AUDIENCE = 'entente-api';
/** Tolerated clock difference between API replicas, in seconds. */
const CLOCK_SKEW_SECONDS = 30;
const MAX_TOKEN_LENGTH = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface AccessTokenClaims {
  sub: string;
  role: UserRole;
  iat: number;
  exp: number;
  jti: string;
  iss: string;
  aud: string;
}

export type AccessTokenFailure =
  | 'malformed'
  | 'unsupported_header'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience';

export type AccessTokenVerification =
  { ok: true; claims: AccessTokenClaims } | { ok: false; reason: AccessTokenFailure };

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

const b64json = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (input: string, secret: string): Buffer =>
  createHmac('sha256', secret).update(input).digest();

export function signAccessToken(
  subject: { sub: string; role: UserRole },
  secret: string,
  options: { ttlSeconds: number; now?: Date },
): { token: string; claims: AccessTokenClaims } {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const claims: AccessTokenClaims = {
    sub: subject.sub,
    role: subject.role,
    iat,
    exp: iat + options.ttlSeconds,
    jti: randomUUID(),
    iss: ACCESS_TOKEN_ISSUER,
    aud: ACCESS_TOKEN_AUDIENCE,
  };
  const input = `${HEADER}.${b64json(claims)}`;
  return { token: `${input}.${sign(input, secret).toString('base64url')}`, claims };
}

function parseJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

export function verifyAccessToken(
  token: string,
  secret: string,
  options: { now?: Date } = {},
): AccessTokenVerification {
  const parts = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
  if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) {
    return { ok: false, reason: 'malformed' };
  }
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = parseJson(headerPart) as Record<string, unknown> | undefined;
  if (
    !header ||
    typeof header !== 'object' ||
    Object.keys(header).length !== 2 ||
    header.alg !== 'HS256' ||
    header.typ !== 'JWT'
  ) {
    return { ok: false, reason: 'unsupported_header' };
  }
  const expected = sign(`${headerPart}.${payloadPart}`, secret);
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  const c = parseJson(payloadPart) as Partial<AccessTokenClaims> | undefined;
  if (
    !c ||
    typeof c !== 'object' ||
    typeof c.sub !== 'string' ||
    !USER_ROLES.includes(c.role as UserRole) ||
    !Number.isInteger(c.iat) ||
    !Number.isInteger(c.exp) ||
    typeof c.jti !== 'string'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  if (c.iss !== ACCESS_TOKEN_ISSUER) return { ok: false, reason: 'wrong_issuer' };
  if (c.aud !== ACCESS_TOKEN_AUDIENCE) return { ok: false, reason: 'wrong_audience' };
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (now >= (c.exp as number)) return { ok: false, reason: 'expired' };
  if ((c.iat as number) > now + CLOCK_SKEW_SECONDS) return { ok: false, reason: 'not_yet_valid' };
  const nbf = (c as { nbf?: unknown }).nbf;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + CLOCK_SKEW_SECONDS)) {
    return { ok: false, reason: 'not_yet_valid' };
  }
  return { ok: true, claims: c as AccessTokenClaims };
}
