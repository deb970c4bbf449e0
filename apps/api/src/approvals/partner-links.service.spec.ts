import { randomUUID } from 'node:crypto';
import { signTaskLink, verifyTaskLink } from '@libs/approval-links';
import type { VerifiedTaskLinkClaims } from '@libs/approval-links';
import type { AppConfig } from '@libs/config';
import type { OrganisationsRepository } from '@libs/db';
import { PartnerLinksService } from './partner-links.service';

const SECRET = 'the current link secret, long enough for HMAC';
const PREVIOUS = 'a link secret of the last rotation, still honoured';

function newService(contactLanguage: string | null = 'zh') {
  const findContact = jest.fn(async (id: string) =>
    contactLanguage === null ? null : { id, language: contactLanguage },
  );
  const sut = new PartnerLinksService(
    { APPROVAL_LINK_SECRET: SECRET, APPROVAL_LINK_PREVIOUS_SECRETS: [PREVIOUS] } as AppConfig,
    { findContact } as unknown as OrganisationsRepository,
  );
  return { sut, findContact };
}

/** A task link signed with `secret`, that expires `expiresInMs` from now (signed a day before). */
function taskToken(secret: string, expiresInMs: number) {
  const ids = {
    partnershipId: randomUUID(),
    taskId: 'introduction.kickoff',
    contactId: randomUUID(),
  };
  const now = Date.now();
  const expiresAt = new Date(now + expiresInMs);
  const token = signTaskLink({ ...ids, expiresAt }, secret, new Date(now - 86_400_000));
  return { ids, token };
}

describe(PartnerLinksService.name, () => {
  it('finds the target from the verified claims of a link signed with any secret of the rotation', async () => {
    const { sut } = newService();
    for (const secret of [SECRET, PREVIOUS]) {
      const { ids, token } = taskToken(secret, 3_600_000);
      const find = jest.fn(async (claims: VerifiedTaskLinkClaims) => ({ taskId: claims.taskId }));
      const resolved = await sut.resolve(verifyTaskLink, token, 'es', find);
      expect(resolved).toEqual({ ok: true, taskId: ids.taskId });
      expect(find).toHaveBeenCalledWith(expect.objectContaining(ids));
    }
  });

  it('refuses a tampered or foreign link with 400 in the browser’s language, looking nothing up', async () => {
    const { sut, findContact } = newService();
    const { token } = taskToken('a secret that is not ours, long enough as well', 3_600_000);
    const find = jest.fn();
    expect(await sut.resolve(verifyTaskLink, token, 'es-ES,es;q=0.9', find)).toEqual({
      ok: false,
      status: 400,
      language: 'es',
    });
    expect(
      await sut.resolve(verifyTaskLink, `${taskToken(SECRET, 3_600_000).token}x`, undefined, find),
    ).toEqual({
      ok: false,
      status: 400,
      language: 'en',
    });
    expect(find).not.toHaveBeenCalled();
    expect(findContact).not.toHaveBeenCalled();
  });

  it('refuses an expired link with 410 in its contact’s language, else the browser’s', async () => {
    const { ids, token } = taskToken(SECRET, -60_000);
    const find = jest.fn();
    const known = newService('zh');
    expect(await known.sut.resolve(verifyTaskLink, token, 'es', find)).toEqual({
      ok: false,
      status: 410,
      language: 'zh',
    });
    expect(known.findContact).toHaveBeenCalledWith(ids.contactId);
    const gone = newService(null);
    expect(await gone.sut.resolve(verifyTaskLink, token, 'es', find)).toEqual({
      ok: false,
      status: 410,
      language: 'es',
    });
    expect(find).not.toHaveBeenCalled();
  });

  it('refuses a genuine link whose target is gone like a foreign one: 400, the browser’s language', async () => {
    const { sut } = newService('zh');
    const { token } = taskToken(SECRET, 3_600_000);
    expect(await sut.resolve(verifyTaskLink, token, 'es', async () => undefined)).toEqual({
      ok: false,
      status: 400,
      language: 'es',
    });
  });
});
