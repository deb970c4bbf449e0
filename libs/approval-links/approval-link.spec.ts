import { createHmac } from 'node:crypto';
import {
  approvalLinkExpiry,
  assertBoundTo,
  signApprovalLink,
  verifyApprovalLink,
} from './approval-link';

const SECRET = 'test-secret-current-0123456789abcdef';
const OLD_SECRET = 'test-secret-previous-0123456789abcdef';
const NOW = new Date('2025-03-01T10:00:00Z');
const claims = {
  approvalId: '3f1c2a4e-8b7d-4c1a-9e2f-0a1b2c3d4e5f',
  contactId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  expiresAt: new Date('2025-03-08T10:00:00Z'),
};
const PARTNERSHIP = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const OTHER_CONTACT = '11111111-2222-4333-8444-555555555555';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const sigFor = (payloadPart: string, secret = SECRET) =>
  createHmac('sha256', secret)
    .update('entente.approval-link.v1.' + payloadPart)
    .digest('base64url');
const decodePayload = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));

const signed = (payloadJson: string) => {
  const part = b64(payloadJson);
  return `${part}.${sigFor(part)}`;
};

describe(signApprovalLink.name, () => {
  const token = signApprovalLink(claims, SECRET, NOW);

  it('round-trips the claims', () => {
    expect(verifyApprovalLink(token, SECRET, NOW)).toEqual({
      ok: true,
      claims: { ...claims, issuedAt: NOW },
    });
    expect(decodePayload(token)).toMatchObject({ v: 2, iat: NOW.getTime() / 1000 });
  });

  it('carries the approval, the contact and its times, nothing more', () => {
    expect(decodePayload(token)).toEqual({
      v: 2,
      a: claims.approvalId,
      c: claims.contactId,
      exp: claims.expiresAt.getTime() / 1000,
      iat: NOW.getTime() / 1000,
    });
  });

  it('still verifies a version 1 link already sent (partnership and purpose in it), ignoring both', () => {
    const v1 = {
      v: 1,
      a: claims.approvalId,
      c: claims.contactId,
      p: PARTNERSHIP,
      exp: claims.expiresAt.getTime() / 1000,
      iat: NOW.getTime() / 1000,
    };
    const expected = { ok: true, claims: { ...claims, issuedAt: NOW } };
    expect(verifyApprovalLink(signed(JSON.stringify(v1)), SECRET, NOW)).toEqual(expected);
    expect(verifyApprovalLink(signed(JSON.stringify({ ...v1, u: 'decide' })), SECRET, NOW)).toEqual(
      expected,
    );
    for (const bad of [
      { ...v1, u: 'admin' },
      { ...v1, p: 'partnership-1' },
      { ...v1, p: undefined },
      { ...v1, v: 2 },
    ]) {
      expect(verifyApprovalLink(signed(JSON.stringify(bad)), SECRET, NOW)).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('produces a compact URL-safe token', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(300);
    expect(encodeURIComponent(token)).toBe(token);
  });

  it('rejects a payload with a flipped character', () => {
    const [payload, sig] = token.split('.');
    const i = 20;
    const flipped = payload.slice(0, i) + (payload[i] === 'A' ? 'B' : 'A') + payload.slice(i + 1);
    const result = verifyApprovalLink(`${flipped}.${sig}`, SECRET, NOW);
    // Either the flip breaks the payload shape or the signature; it never verifies.
    expect(result.ok).toBe(false);
  });

  it('rejects a re-encoded payload with another contactId under the old signature', () => {
    const [, sig] = token.split('.');
    const swapped = b64(JSON.stringify({ ...decodePayload(token), c: OTHER_CONTACT }));
    expect(verifyApprovalLink(`${swapped}.${sig}`, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('rejects a signature from another secret', () => {
    const forged = signApprovalLink(claims, 'attacker-secret', NOW);
    expect(verifyApprovalLink(forged, SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('rejects truncated or over-long signatures without throwing', () => {
    const [payload, sig] = token.split('.');
    // Lengths divisible by 4 so the parts stay canonical base64url (16, 30 and 60 bytes).
    for (const bad of [sig.slice(0, 20), sig.slice(0, 40), sig.slice(0, 40).repeat(2)]) {
      expect(verifyApprovalLink(`${payload}.${bad}`, SECRET, NOW)).toEqual({
        ok: false,
        reason: 'bad_signature',
      });
    }
  });

  it('refuses expired tokens, naming whom the genuine link was for', () => {
    const expired = { ok: false, reason: 'expired', claims: { ...claims, issuedAt: NOW } };
    expect(verifyApprovalLink(token, SECRET, claims.expiresAt)).toEqual(expired);
    expect(verifyApprovalLink(token, SECRET, new Date('2025-04-01T00:00:00Z'))).toEqual(expired);
    // A forged token is refused for its signature, whatever its expiry says.
    expect(verifyApprovalLink(token, 'another-secret', claims.expiresAt)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyApprovalLink(token, SECRET, new Date(claims.expiresAt.getTime() - 1000)).ok).toBe(
      true,
    );
  });

  const valid = decodePayload(token);

  it.each([
    ['empty', ''],
    ['single part', 'a'],
    ['three parts', 'a.b.c'],
    ['alg-style header', `${b64('{"alg":"none"}')}.${token}`],
    ['empty signature', `${token.split('.')[0]}.`],
    ['non-base64 characters', 'ab$c.def'],
    ['base64 padding', `${token.split('.')[0]}=.${token.split('.')[1]}`],
    ['standard base64 alphabet', `a+b/.${token.split('.')[1]}`],
    ['payload not JSON', signed('not json')],
    ['payload JSON array', signed('[1,2]')],
    ['payload JSON null', signed('null')],
    ['numeric approvalId', signed(JSON.stringify({ ...valid, a: 123 }))],
    ['non-uuid contactId', signed(JSON.stringify({ ...valid, c: 'contact-1' }))],
    ['string exp', signed(JSON.stringify({ ...valid, exp: String(valid.exp) }))],
    ['fractional exp', signed(JSON.stringify({ ...valid, exp: valid.exp + 0.5 }))],
    ['missing iat', signed(JSON.stringify({ ...valid, iat: undefined }))],
    ['unknown version', signed(JSON.stringify({ ...valid, v: 3 }))],
    ['a purpose in version 2', signed(JSON.stringify({ ...valid, u: 'decide' }))],
    ['a partnership in version 2', signed(JSON.stringify({ ...valid, p: PARTNERSHIP }))],
    ['extra key', signed(JSON.stringify({ ...valid, alg: 'none' }))],
    ['over-long token', 'a'.repeat(2000) + '.' + 'b'.repeat(43)],
  ])('treats %s as malformed', (_label, input) => {
    expect(verifyApprovalLink(input, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts tokens signed with an older secret during rotation', () => {
    const old = signApprovalLink(claims, OLD_SECRET, NOW);
    expect(verifyApprovalLink(old, [SECRET, OLD_SECRET], NOW).ok).toBe(true);
    expect(verifyApprovalLink(token, [SECRET, OLD_SECRET], NOW).ok).toBe(true);
    expect(verifyApprovalLink(old, [SECRET], NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses to sign or verify with an empty secret', () => {
    expect(() => signApprovalLink(claims, '', NOW)).toThrow();
    expect(() => verifyApprovalLink(token, [], NOW)).toThrow();
  });

  it('refuses to sign invalid claims', () => {
    expect(() => signApprovalLink({ ...claims, contactId: 'nope' }, SECRET, NOW)).toThrow();
    expect(() => signApprovalLink({ ...claims, expiresAt: NOW }, SECRET, NOW)).toThrow();
    expect(() =>
      signApprovalLink({ ...claims, expiresAt: new Date('invalid') }, SECRET, NOW),
    ).toThrow();
  });
});

describe(assertBoundTo.name, () => {
  it('is true for the same approval and contact', () => {
    expect(
      assertBoundTo(claims, { approvalId: claims.approvalId, contactId: claims.contactId }),
    ).toBe(true);
    expect(
      assertBoundTo(claims, {
        approvalId: claims.approvalId.toUpperCase(),
        contactId: claims.contactId,
      }),
    ).toBe(true);
  });
  it('is false for another contact or approval', () => {
    expect(assertBoundTo(claims, { approvalId: claims.approvalId, contactId: OTHER_CONTACT })).toBe(
      false,
    );
    expect(assertBoundTo(claims, { approvalId: OTHER_CONTACT, contactId: claims.contactId })).toBe(
      false,
    );
  });
});

describe(approvalLinkExpiry.name, () => {
  const deadline = new Date('2025-03-05T17:00:00Z');
  it('adds 72 hours of grace by default', () => {
    expect(approvalLinkExpiry(deadline)).toEqual(new Date('2025-03-08T17:00:00Z'));
  });
  it('accepts a custom grace period', () => {
    expect(approvalLinkExpiry(deadline, 0)).toEqual(deadline);
    expect(approvalLinkExpiry(deadline, 24)).toEqual(new Date('2025-03-06T17:00:00Z'));
  });
  it('rejects invalid input', () => {
    expect(() => approvalLinkExpiry(deadline, -1)).toThrow(RangeError);
    expect(() => approvalLinkExpiry(new Date('x'))).toThrow(RangeError);
  });
});
