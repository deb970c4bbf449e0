import { randomBytes } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { approvalLinkExpiry, signApprovalLink } from '@libs/approval-links';
import { approvalLinkSecret, loadConfig } from '@libs/config';
import { foundingCaseRequest } from '../support/fixtures';
import { approvalToken, awaitMessages } from '../support/mailpit';
import { http, Platform, requireEnv, RunningApi, startApi, startPlatform } from '../support/stack';

type Json = Record<string, any>;

/** The namespace partnerships.service.ts derived inline ids under until December 2026. */
const OLD_ID_NAMESPACE = '0b6c3f8e-4f6a-4c59-9d55-3f0e7b8a2c11';

/** What a payload part of a link says, as anyone holding the link can read it. */
function readPayload(token: string): Json {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as Json;
}

/**
 * A partner contact turned attacker: Raquel (IVACE) holds her own approval link and knows the
 * link secret that ships in the repository (the API under test runs on it, as a deployment with
 * a fallback secret did). Until December 2026 the ids of organisations and contacts created with
 * a partnership were UUID v5 of the partnership id under a namespace in the source, so she could
 * compute Li Wei's contact id at EIRI and sign a link in his name: her forged "approve" counted as
 * EIRI's consent. Now those ids are random and the forged link is refused like any foreign one.
 */
describe('partner links: forged consent, secret rotation (end to end)', () => {
  let api: RunningApi;
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform();
    ({ api } = platform);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const url = (path: string): string => `${api.url}${path}`;
  const publicSecret = (): string =>
    approvalLinkSecret(
      loadConfig({ DATABASE_URL: requireEnv('TEST_DATABASE_URL'), NODE_ENV: 'test' }),
    );

  it('refuses a link signed for the other organisation’s computed contact id, and records nothing', async () => {
    const request = foundingCaseRequest();
    const key = `forgery-${Date.now()}`;
    const created = await http('POST', url('/api/v1/partnerships'), request, {
      'idempotency-key': key,
    });
    expect(created.status).toBe(201);
    const partnershipId = created.body.id as string;
    for (const t of created.body.gate.blockers as { taskId: string }[]) {
      await http(
        'POST',
        url(`/api/v1/partnerships/${partnershipId}/tasks/${t.taskId}/complete`),
        {},
      );
    }
    const deadline = new Date(Date.now() + 7 * 86_400_000);
    const asked = await http('POST', url(`/api/v1/partnerships/${partnershipId}/approvals`), {
      subject: { kind: 'gate' },
      deadline: deadline.toISOString(),
    });
    expect(asked.status).toBe(201);
    const approvalId = asked.body.id as string;

    // Raquel's own link: it names her approval request and her, no longer the partnership.
    const [mail] = await awaitMessages(request.organisations[0].contacts[0].email as string, 1);
    const payload = readPayload(approvalToken(mail));
    expect(payload.a).toBe(approvalId);
    expect(Object.keys(payload).sort()).toEqual(['a', 'c', 'exp', 'iat', 'v']);

    // Li Wei's id as the old derivation gave it: organisation 1 of the request, its contact 0.
    const orgId = uuidv5(`${partnershipId}/organisations/1`, OLD_ID_NAMESPACE);
    const computedLiId = uuidv5(`${orgId}/contacts/0`, OLD_ID_NAMESPACE);
    const li = (created.body.organisations as Json[])
      .flatMap((o) => o.contacts as Json[])
      .find((c) => c.email === request.organisations[1].contacts[0].email)!;
    expect(asked.body.awaiting).toContain(li.id);

    const forged = signApprovalLink(
      {
        approvalId,
        contactId: computedLiId,
        expiresAt: approvalLinkExpiry(deadline),
      },
      publicSecret(),
    );
    const res = await fetch(url(`/a/${forged}`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ decision: 'approve' }).toString(),
    });
    // Before: 200 and "thank you", with EIRI's consent recorded in Li Wei's name.
    expect(res.status).toBe(400);
    expect(computedLiId).not.toBe(li.id);
    const after = await http('GET', url(`/api/v1/approvals/${approvalId}`));
    expect(after.body.status).toBe('pending');
    expect(after.body.awaiting).toContain(li.id);
    const timeline = await http(
      'GET',
      url(`/api/v1/partnerships/${partnershipId}/timeline?pageSize=100`),
    );
    expect((timeline.body.items as Json[]).map((e) => e.type)).not.toContain('approval.decided');

    // The ids are random, yet a retry with the same Idempotency-Key still answers the same ids.
    const retried = await http('POST', url('/api/v1/partnerships'), request, {
      'idempotency-key': key,
    });
    expect(retried.status).toBe(201);
    expect(retried.body.id).toBe(partnershipId);
    const ids = (view: Json): string[] =>
      (view.organisations as Json[]).flatMap((o) => [
        o.id as string,
        ...(o.contacts as Json[]).map((c) => c.id as string),
      ]);
    expect(ids(retried.body)).toEqual(ids(created.body));
  });

  it('verifies links signed with a previous secret after a rotation, not with a removed one', async () => {
    const created = await http('POST', url('/api/v1/partnerships'), foundingCaseRequest());
    const partnershipId = created.body.id as string;
    const deadline = new Date(Date.now() + 7 * 86_400_000);
    const asked = await http('POST', url(`/api/v1/partnerships/${partnershipId}/approvals`), {
      subject: { kind: 'document', title: 'Memorandum of understanding', text: 'The MoU' },
      deadline: deadline.toISOString(),
    });
    expect(asked.status).toBe(201);
    const link = {
      approvalId: asked.body.id as string,
      contactId: asked.body.awaiting[0] as string,
      expiresAt: approvalLinkExpiry(deadline),
    };
    // Rotated twice: `removed` signed links once, then `previous`, and now `current` signs.
    const [removed, previous, current] = [1, 2, 3].map(() => randomBytes(36).toString('base64'));
    const rotated = await startApi({
      APPROVAL_LINK_SECRET: current,
      APPROVAL_LINK_PREVIOUS_SECRETS: previous,
    });
    try {
      const status = async (secret: string): Promise<number> =>
        (await fetch(`${rotated.url}/a/${signApprovalLink(link, secret)}`)).status;
      expect(await status(current)).toBe(200);
      expect(await status(previous)).toBe(200);
      expect(await status(removed)).toBe(400);
    } finally {
      await rotated.process.stop();
    }
  });
});
