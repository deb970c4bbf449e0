import { createHmac } from 'node:crypto';
import { signApprovalLink, verifyApprovalLink } from './approval-link';
import {
  assertTaskBoundTo,
  isTaskId,
  signTaskLink,
  taskLinkExpiry,
  verifyTaskLink,
} from './task-link';

const SECRET = 'test-secret-current-0123456789abcdef';
const OLD_SECRET = 'test-secret-previous-0123456789abcdef';
const NOW = new Date('2025-03-01T10:00:00Z');
const claims = {
  partnershipId: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
  taskId: 'introduction.introductory_meeting',
  contactId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  expiresAt: new Date('2025-03-15T10:00:00Z'),
};
const OTHER = '11111111-2222-4333-8444-555555555555';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const decodePayload = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
const signed = (payloadJson: string) => {
  const part = b64(payloadJson);
  const sig = createHmac('sha256', SECRET)
    .update('entente.task-link.v1.' + part)
    .digest('base64url');
  return `${part}.${sig}`;
};

describe(signTaskLink.name, () => {
  const token = signTaskLink(claims, SECRET, NOW);

  it('round-trips the claims in a compact URL-safe token', () => {
    expect(verifyTaskLink(token, SECRET, NOW)).toEqual({
      ok: true,
      claims: { ...claims, issuedAt: NOW },
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(300);
  });

  it('round-trips a coordinator’s own task (a UUID id), lower-cased', () => {
    const own = { ...claims, taskId: OTHER.toUpperCase() };
    const result = verifyTaskLink(signTaskLink(own, SECRET, NOW), SECRET, NOW);
    expect(result).toEqual({ ok: true, claims: { ...own, taskId: OTHER, issuedAt: NOW } });
  });

  it('rejects a re-encoded payload naming another task or contact under the old signature', () => {
    const [, sig] = token.split('.');
    for (const change of [{ t: 'introduction.ongoing_projects' }, { c: OTHER }, { p: OTHER }]) {
      const swapped = b64(JSON.stringify({ ...decodePayload(token), ...change }));
      expect(verifyTaskLink(`${swapped}.${sig}`, SECRET, NOW)).toEqual({
        ok: false,
        reason: 'bad_signature',
      });
    }
  });

  it('is never an approval link, nor an approval link a task link (separate signing domains)', () => {
    const approval = signApprovalLink(
      {
        approvalId: OTHER,
        contactId: claims.contactId,
        expiresAt: claims.expiresAt,
      },
      SECRET,
      NOW,
    );
    expect(verifyTaskLink(approval, SECRET, NOW).ok).toBe(false);
    expect(verifyApprovalLink(token, SECRET, NOW).ok).toBe(false);
    // The same payload signed as an approval link's would be: still not a task link.
    const part = token.split('.')[0];
    const asApproval = createHmac('sha256', SECRET)
      .update('entente.approval-link.v1.' + part)
      .digest('base64url');
    expect(verifyTaskLink(`${part}.${asApproval}`, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses expired tokens and says whom the genuine link was for', () => {
    const expired = { ok: false, reason: 'expired', claims: { ...claims, issuedAt: NOW } };
    expect(verifyTaskLink(token, SECRET, claims.expiresAt)).toEqual(expired);
    expect(verifyTaskLink(token, SECRET, new Date(claims.expiresAt.getTime() - 1000)).ok).toBe(
      true,
    );
    // An expired forgery is a forgery.
    const forged = signTaskLink(claims, 'attacker-secret-attacker-secret!!', NOW);
    expect(verifyTaskLink(forged, SECRET, claims.expiresAt)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('accepts tokens signed with an older secret during rotation', () => {
    const old = signTaskLink(claims, OLD_SECRET, NOW);
    expect(verifyTaskLink(old, [SECRET, OLD_SECRET], NOW).ok).toBe(true);
    expect(verifyTaskLink(old, [SECRET], NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  const valid = decodePayload(token);
  it.each([
    ['empty', ''],
    ['three parts', 'a.b.c'],
    ['payload not JSON', signed('not json')],
    ['task id with a path', signed(JSON.stringify({ ...valid, t: '../approvals/x' }))],
    ['task id in capitals', signed(JSON.stringify({ ...valid, t: 'Introduction.Meeting' }))],
    ['numeric task id', signed(JSON.stringify({ ...valid, t: 7 }))],
    ['non-uuid contact', signed(JSON.stringify({ ...valid, c: 'raquel' }))],
    ['wrong version', signed(JSON.stringify({ ...valid, v: 2 }))],
    ['extra key', signed(JSON.stringify({ ...valid, a: OTHER }))],
    ['missing exp', signed(JSON.stringify({ ...valid, exp: undefined }))],
    ['over-long token', 'a'.repeat(2000) + '.' + 'b'.repeat(43)],
  ])('treats %s as malformed', (_label, input) => {
    expect(verifyTaskLink(input, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses to sign invalid claims or with an empty secret', () => {
    expect(() => signTaskLink({ ...claims, taskId: 'x' }, SECRET, NOW)).toThrow(TypeError);
    expect(() => signTaskLink({ ...claims, contactId: 'nope' }, SECRET, NOW)).toThrow(TypeError);
    expect(() => signTaskLink({ ...claims, expiresAt: NOW }, SECRET, NOW)).toThrow(RangeError);
    expect(() => signTaskLink(claims, '', NOW)).toThrow();
    expect(() => verifyTaskLink(token, [], NOW)).toThrow();
  });
});

describe(assertTaskBoundTo.name, () => {
  const task = {
    partnershipId: claims.partnershipId,
    id: claims.taskId,
    assigneeContactId: claims.contactId,
  };
  it('is true for the task of that partnership still assigned to that contact', () => {
    expect(assertTaskBoundTo(claims, task)).toBe(true);
    expect(
      assertTaskBoundTo(claims, { ...task, assigneeContactId: claims.contactId.toUpperCase() }),
    ).toBe(true);
  });
  it('is false once reassigned or unassigned, or for another task or partnership', () => {
    expect(assertTaskBoundTo(claims, { ...task, assigneeContactId: OTHER })).toBe(false);
    expect(assertTaskBoundTo(claims, { ...task, assigneeContactId: null })).toBe(false);
    expect(assertTaskBoundTo(claims, { ...task, id: 'introduction.ongoing_projects' })).toBe(false);
    expect(assertTaskBoundTo(claims, { ...task, partnershipId: OTHER })).toBe(false);
  });
});

describe(taskLinkExpiry.name, () => {
  it('is 14 days after sending by default', () => {
    expect(taskLinkExpiry(NOW)).toEqual(new Date('2025-03-15T10:00:00Z'));
    expect(taskLinkExpiry(NOW, 1)).toEqual(new Date('2025-03-02T10:00:00Z'));
  });
  it('rejects invalid input', () => {
    expect(() => taskLinkExpiry(NOW, 0)).toThrow(RangeError);
    expect(() => taskLinkExpiry(new Date('x'))).toThrow(RangeError);
  });
});

describe(isTaskId.name, () => {
  it('accepts template ids and UUIDs only', () => {
    expect(isTaskId('area_exploration.priority_areas')).toBe(true);
    expect(isTaskId(OTHER)).toBe(true);
    expect(isTaskId('introduction')).toBe(false);
    expect(isTaskId('a.b.c')).toBe(false);
    expect(isTaskId('')).toBe(false);
  });
});
