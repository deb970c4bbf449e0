import { words } from '../../apps/api/src/approvals/approval-page';
import type { Language } from '@libs/domain';
import { formatDateTime } from '@libs/notifications';
import {
  expectAccessible,
  focusStyle,
  followEmailLink,
  READERS,
  saveScreenshot,
  tabTo,
  VIEWPORTS,
} from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { awaitMessages, MailpitMessage } from '../support/mailpit';
import { http } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

/**
 * The approval page (/a/:token) in Debian's chromium, everything real: the partner contacts
 * open the link in the e-mail Mailpit received, read the page in their language, and approve
 * without JavaScript; the partnership's timeline names them.
 */
describe('approval page in the browser', () => {
  const { platform, publicBase, session } = usePlatformInBrowser();
  const url = (path: string): string => `${platform().api.url}${path}`;

  interface Contact {
    language: Language;
    name: string;
    email: string;
    timeZone: string;
    message: MailpitMessage;
  }
  const contacts = {} as Record<Language, Contact>;
  let partnershipId: string;
  let partnershipTitle: string;
  let approvalId: string;
  // 09:00 UTC a week ahead: 10:00 or 11:00 in Madrid, 17:00 in Shanghai.
  const deadline = new Date(Math.ceil(Date.now() / 86_400_000 + 7) * 86_400_000 + 9 * 3_600_000);

  beforeAll(async () => {
    const request = foundingCaseRequest();
    // A third approver who reads English, so the page is checked in all three languages.
    request.organisations[1].contacts.push({
      name: 'Chen Jing',
      email: request.organisations[1].contacts[0].email.replace('li.wei', 'chen.jing'),
      language: 'en',
      timeZone: 'Asia/Shanghai',
    });
    const created = await http('POST', url('/api/v1/partnerships'), request);
    expect(created.status).toBe(201);
    partnershipId = created.body.id;
    partnershipTitle = request.title;
    for (const t of created.body.gate.blockers as { taskId: string }[]) {
      await http(
        'POST',
        url(`/api/v1/partnerships/${partnershipId}/tasks/${t.taskId}/complete`),
        {},
      );
    }
    const asked = await http('POST', url(`/api/v1/partnerships/${partnershipId}/approvals`), {
      subject: { kind: 'gate' },
      deadline: deadline.toISOString(),
    });
    expect(asked.status).toBe(201);
    approvalId = asked.body.id;
    const people = request.organisations.flatMap((o: any) => o.contacts);
    for (const person of people) {
      const [message] = await awaitMessages(person.email, 1);
      contacts[person.language as Language] = { ...person, message };
    }
  });

  async function openFromEmail(
    language: Language,
    options: { viewport?: 'desktop' | 'phone'; javaScriptEnabled?: boolean } = {},
  ) {
    const opened = await session.openPage({ ...READERS[language], ...options });
    const { url: link } = await followEmailLink(
      opened.page,
      contacts[language].message.HTML,
      /\/a\/[^/?#]+$/,
    );
    expect(link.startsWith(`${publicBase().origin}/a/`)).toBe(true);
    return opened;
  }

  it.each<[Language, 'desktop' | 'phone', string | undefined]>([
    ['es', 'desktop', 'approval-page-es'],
    ['zh', 'phone', 'approval-page-zh'],
    ['en', 'desktop', undefined],
  ])(
    'the %s contact opens the link from their e-mail: the page is in their language, fits a %s, and axe finds nothing serious',
    async (language, viewport, screenshot) => {
      const w = words(language);
      const contact = contacts[language];
      const { page, problems } = await openFromEmail(language, { viewport });

      expect(await page.locator('html').getAttribute('lang')).toMatch(new RegExp(`^${language}`));
      expect(await page.title()).toContain(w.title());
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
        w.title(),
      );
      const text = await page.locator('body').innerText();
      expect(text).toContain(partnershipTitle);
      expect(text).toContain(contact.name);
      // The deadline in the contact's own time zone, in their language.
      expect(text).toContain(formatDateTime(deadline, language, contact.timeZone));
      expect(await page.getByRole('button', { name: w.approve(), exact: true }).isVisible()).toBe(
        true,
      );
      expect(await page.getByRole('button', { name: w.reject(), exact: true }).isVisible()).toBe(
        true,
      );
      expect(await page.getByLabel(w.comment(), { exact: true }).count()).toBe(1);

      // Nothing runs off the side of the screen.
      const widths = await page.evaluate(() => {
        const root = (globalThis as any).document.documentElement;
        return { scroll: root.scrollWidth as number, client: root.clientWidth as number };
      });
      expect(widths.client).toBe(VIEWPORTS[viewport].width);
      expect(widths.scroll).toBeLessThanOrEqual(widths.client);

      await expectAccessible(page, `the approval page in ${language}`);

      if (screenshot) await saveScreenshot(page, screenshot);
      expect(problems.all()).toEqual([]);
    },
  );

  it('Tab reaches the approve button, and the focus is visible', async () => {
    const { page, problems } = await openFromEmail('es', { javaScriptEnabled: false });
    const approve = page.getByRole('button', { name: words('es').approve(), exact: true });
    await tabTo(page, approve);
    const style = await focusStyle(approve);
    expect(style.focused).toBe(true);
    expect(style.outlineStyle).not.toBe('none');
    expect(parseFloat(style.outlineWidth)).toBeGreaterThanOrEqual(2);
    expect(problems.all()).toEqual([]);
  });

  it('without JavaScript, each partner approves with a comment, sees the confirmation, and the timeline names them', async () => {
    const comments: Partial<Record<Language, string>> = {
      es: 'De acuerdo: pasamos a explorar las áreas.',
      zh: '同意，进入领域探索阶段。',
    };
    for (const language of ['es', 'zh'] as const) {
      const w = words(language);
      const { page, problems } = await openFromEmail(language, {
        viewport: language === 'zh' ? 'phone' : 'desktop',
        javaScriptEnabled: false,
      });
      await page.getByLabel(w.comment(), { exact: true }).fill(comments[language]!);
      await Promise.all([
        page.waitForURL(/\/a\//, { waitUntil: 'load' }),
        page.getByRole('button', { name: w.approve(), exact: true }).click(),
      ]);
      expect(await page.locator('html').getAttribute('lang')).toMatch(new RegExp(`^${language}`));
      expect(await page.locator('body').innerText()).toContain(w.thanksApproved());
      expect(await page.getByRole('button', { name: w.approve(), exact: true }).count()).toBe(0);
      expect(problems.all()).toEqual([]);
    }

    const approval = await http('GET', url(`/api/v1/approvals/${approvalId}`));
    expect(approval.body).toMatchObject({ status: 'approved', awaiting: [] });
    const timeline = await http(
      'GET',
      url(`/api/v1/partnerships/${partnershipId}/timeline?pageSize=100`),
    );
    const decided = (timeline.body.items as any[]).filter((e) => e.type === 'approval.decided');
    expect(
      decided.map((e) => ({
        actor: { kind: e.actor.kind, name: e.actor.name, email: e.actor.email },
        outcome: e.payload.outcome,
        comment: e.payload.comment,
      })),
    ).toEqual(
      (['es', 'zh'] as const).map((language) => ({
        actor: { kind: 'contact', name: contacts[language].name, email: contacts[language].email },
        outcome: 'approved',
        comment: comments[language],
      })),
    );
  });
});
