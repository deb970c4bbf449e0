import {
  assertKnowledgeBoundTo,
  knowledgeLinkExpiry,
  signKnowledgeLink,
  verifyKnowledgeLink,
} from './knowledge-link';
import { signTaskLink, verifyTaskLink } from './task-link';

const SECRET = 'k'.repeat(32);
const P = '6f1d2c3b-0000-4000-8000-000000000001';
const Q = '6f1d2c3b-0000-4000-8000-000000000002';
const C = '6f1d2c3b-0000-4000-8000-0000000000cc';
const ORG = '6f1d2c3b-0000-4000-8000-0000000000e5';
const NOW = new Date('2027-03-01T10:00:00Z');

describe('knowledge links', () => {
  const token = signKnowledgeLink(
    { partnershipId: P, contactId: C, expiresAt: knowledgeLinkExpiry(NOW) },
    SECRET,
    NOW,
  );

  it('verify for the partnership and contact they name, for 30 days', () => {
    expect(verifyKnowledgeLink(token, SECRET, NOW)).toMatchObject({
      ok: true,
      claims: { partnershipId: P, contactId: C },
    });
    const late = new Date(NOW.getTime() + 31 * 86_400_000);
    expect(verifyKnowledgeLink(token, SECRET, late)).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('are no task links, and task links are no knowledge links (signing domains)', () => {
    const task = signTaskLink(
      {
        partnershipId: P,
        taskId: 'knowledge_sharing.seminar',
        contactId: C,
        expiresAt: knowledgeLinkExpiry(NOW),
      },
      SECRET,
      NOW,
    );
    expect(verifyKnowledgeLink(task, SECRET, NOW).ok).toBe(false);
    expect(verifyTaskLink(token, SECRET, NOW).ok).toBe(false);
  });

  it.each<[string, string, { id: string; contactIds: string[] }[], string | undefined]>([
    ['the contact’s organisation', P, [{ id: ORG, contactIds: [C.toUpperCase()] }], ORG],
    ['another partnership', Q, [{ id: ORG, contactIds: [C] }], undefined],
    ['a contact no longer with a partner', P, [{ id: ORG, contactIds: [] }], undefined],
  ])('binds to %s', (_, partnershipId, organisations, expected) => {
    expect(
      assertKnowledgeBoundTo(
        { partnershipId: P, contactId: C },
        { id: partnershipId, organisations },
      ),
    ).toBe(expected);
  });
});
