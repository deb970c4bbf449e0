import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { words } from '../../apps/api/src/approvals/approval-page';
import type { Language } from '@libs/domain';
import { STAGE_NAMES, TEMPLATE_TASK_TITLES } from '@libs/domain/words';
import en from '../../web/src/i18n/en';
import es from '../../web/src/i18n/es';
import zh from '../../web/src/i18n/zh';
import {
  expectAccessible,
  followEmailLink,
  READERS,
  saveScreenshot,
  signInAt,
} from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { awaitMessages } from '../support/mailpit';
import { http, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

const CATALOGS = { en, es, zh } as const;

/**
 * The founding case in Debian's chromium with everything real (API, worker, Temporal,
 * PostgreSQL, Mailpit): an admin creates a coordinator; the coordinator signs in, creates the
 * IVACE–EIRI partnership with a Spanish and a Chinese contact, completes the introduction tasks,
 * tries to advance too early and reads why, and asks for the gate's consent; each partner opens
 * the link in their e-mail and approves in their language; the coordinator's open page and board
 * follow without a reload. The words come from the app's own catalogs, so a rewording does not
 * break the test while a missing translation or a raw code does.
 */
describe('the founding case in the browser', () => {
  const { platform, publicBase, session } = usePlatformInBrowser();
  /** The app is used at PUBLIC_BASE_URL, as the e-mails link to it; the browser maps its host. */
  const base = (): string => publicBase().origin;
  beforeAll(async () => {
    // The admin's account may carry a language another suite chose (the fuzz test PATCHes
    // /me): this story reads the English screens, so the browser's language must decide.
    expect(
      (await http('PATCH', `${platform().api.url}/api/v1/me`, { language: null })).status,
    ).toBe(200);
  });

  const suffix = randomUUID().slice(0, 8);
  const fixture = foundingCaseRequest(suffix);
  const coordinator = {
    name: 'Ana García',
    email: `ana.garcia+${suffix}@iurc.example`,
    password: `coordinator-${randomUUID()}`,
  };
  let partnershipId = '';

  async function signIn(page: Page, email: string, password: string, language: Language = 'en') {
    const t = CATALOGS[language];
    await page.goto(`${base()}/`);
    await page.waitForURL(/\/login/);
    await signInAt(page, base(), t, email, password);
  }

  it('an admin creates a coordinator account', async () => {
    const { page, problems } = await session.openPage(READERS.en);
    await signIn(page, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD);
    await page.getByRole('link', { name: en.nav.users }).click();
    await page.waitForURL(/\/admin\/users/);
    const form = page.locator('form', { has: page.getByLabel(en.users.password) });
    await form.getByLabel(en.users.name).fill(coordinator.name);
    await form.getByLabel(en.users.email).fill(coordinator.email);
    await form.getByLabel(en.users.role).selectOption('coordinator');
    await form.getByLabel(en.users.password, { exact: true }).fill(coordinator.password);
    await form.getByRole('button', { name: en.users.create }).click();
    await page.getByText(coordinator.email).first().waitFor();
    const users = await http('GET', `${platform().api.url}/api/v1/users?pageSize=100`);
    expect(users.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ email: coordinator.email, role: 'coordinator' }),
      ]),
    );
    expect(problems.all()).toEqual([]);
  });

  it('the coordinator creates the partnership, completes the introduction, reads why it cannot advance yet, and the partners consent in Spanish and Chinese', async () => {
    const { page, problems } = await session.openPage(READERS.en);
    await signIn(page, coordinator.email, coordinator.password);

    // Create the IVACE–EIRI partnership with a Spanish and a Chinese contact.
    await page.getByRole('link', { name: en.nav.newPartnership }).click();
    await page.waitForURL(/\/partnerships\/new/);
    await page.getByLabel(en.create.name, { exact: true }).fill(fixture.title);
    const organisations = page.locator('fieldset.organisation-fields');
    for (const [i, org] of (fixture.organisations as any[]).entries()) {
      const fields = organisations.nth(i);
      await fields.getByLabel(en.create.orgName, { exact: true }).first().fill(org.name);
      await fields.getByLabel(en.create.kind).selectOption(org.kind);
      await fields.getByRole('combobox', { name: en.create.country }).fill(org.country);
      await page.keyboard.press('Escape');
      await fields.getByLabel(en.create.region).fill(org.region);
      const contact = org.contacts[0];
      const person = fields.locator('fieldset.contact-fields').first();
      await person.getByLabel(en.create.contactName, { exact: true }).fill(contact.name);
      await person.getByLabel(en.create.contactEmail).fill(contact.email);
      await person.getByLabel(en.create.contactLanguage).selectOption(contact.language);
      await person.getByRole('combobox', { name: en.create.timeZone }).fill(contact.timeZone);
      await page.keyboard.press('Escape');
    }
    await page.getByLabel(en.create.areas).fill((fixture.areas as string[]).join('\n'));
    await page.getByRole('button', { name: en.create.submit }).click();
    await page.waitForURL(/\/partnerships\/[0-9a-f-]{36}$/);
    partnershipId = page.url().split('/').pop()!;
    await page.getByRole('heading', { level: 1, name: fixture.title }).waitFor();

    // A board in a second tab, open all along: it must follow without a reload.
    const board = await page.context().newPage();
    await board.goto(`${base()}/?q=${suffix}`);
    const column = (stage: string) =>
      board.getByRole('region', {
        name: new RegExp(`^${STAGE_NAMES.en[stage as 'introduction']}`),
      });
    await column('introduction').getByRole('link', { name: fixture.title }).waitFor();

    const advance = page.getByRole('button', {
      name: en.partnership.advance.replace('{{stage}}', STAGE_NAMES.en.area_exploration),
    });
    // Complete the introduction's tasks but the last.
    const tasks = page.locator('details.stage-tasks[open] li.task');
    const count = await tasks.count();
    expect(count).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < count - 1; i++) {
      const task = tasks.nth(i);
      await task.getByRole('button', { name: en.partnership.complete }).click();
      await task.getByRole('button', { name: en.partnership.reopen }).waitFor();
    }

    // Too early: the page says why, in words (and which task), never a raw code.
    await advance.click();
    const tasksOpen = page.getByRole('alert').filter({ hasText: en.errors.GATE_TASKS_OPEN });
    await tasksOpen.waitFor();
    const lastTitle = (
      await tasks
        .nth(count - 1)
        .locator('.task-title')
        .innerText()
    ).split(' (')[0];
    expect(await tasksOpen.innerText()).toContain(lastTitle);
    await tasks
      .nth(count - 1)
      .getByRole('button', { name: en.partnership.complete })
      .click();
    await tasks
      .nth(count - 1)
      .getByRole('button', { name: en.partnership.reopen })
      .waitFor();

    // Ask for the gate's consent (default: every contact of each partner organisation).
    await page.getByRole('button', { name: en.approvals.request }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: en.approvals.send }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.approval').first().waitFor();

    // Still too early: the partners have not answered yet.
    await advance.click();
    await page.getByRole('alert').filter({ hasText: en.errors.GATE_CONSENT_MISSING }).waitFor();
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(/GATE_CONSENT_MISSING|GATE_TASKS_OPEN/);

    // Each partner opens the link from their e-mail and approves, in their language, without JavaScript.
    for (const org of fixture.organisations as any[]) {
      const contact = org.contacts[0];
      const language = contact.language as Language;
      const [message] = await awaitMessages(contact.email, 1);
      const partner = await session.openPage({
        ...READERS[language],
        viewport: 'phone',
        javaScriptEnabled: false,
      });
      await followEmailLink(partner.page, message.HTML, /\/a\/[^/?#]+$/);
      const w = words(language);
      expect(await partner.page.locator('html').getAttribute('lang')).toMatch(
        new RegExp(`^${language}`),
      );
      // The gate's subject in the partner's own words, not English.
      expect(await partner.page.locator('body').innerText()).toContain(
        STAGE_NAMES[language].introduction,
      );
      await partner.page
        .getByLabel(w.comment(), { exact: true })
        .fill(language === 'es' ? 'De acuerdo.' : '同意。');
      await partner.page.getByRole('button', { name: w.approve(), exact: true }).click();
      await partner.page.getByText(w.thanksApproved()).waitFor();
    }

    // The coordinator's open page follows: the gate opens without a reload.
    await page
      .getByText(en.partnership.gateOpen.replace('{{stage}}', STAGE_NAMES.en.area_exploration))
      .waitFor({ timeout: 30_000 });
    await page.locator('.timeline li[data-type="approval.approved"]').waitFor();
    await advance.click();
    await page
      .getByRole('status')
      .filter({ hasText: STAGE_NAMES.en.area_exploration })
      .first()
      .waitFor();
    await page
      .locator('.stage-progress li[aria-current="step"]', {
        hasText: STAGE_NAMES.en.area_exploration,
      })
      .waitFor();

    // …and so does the board, in the other tab.
    await column('area_exploration')
      .getByRole('link', { name: fixture.title })
      .waitFor({ timeout: 20_000 });
    // Each column re-reads on its own: the introduction one lets the card go soon after.
    await column('introduction')
      .getByRole('link', { name: fixture.title })
      .waitFor({ state: 'detached', timeout: 20_000 });

    await saveScreenshot(page, 'partnership-page', { fullPage: true });
    await saveScreenshot(board, 'board');

    // Switching the language changes the board's words at once, and is remembered.
    for (const language of ['es', 'zh'] as const) {
      await board
        .getByLabel(CATALOGS[language === 'es' ? 'en' : 'es'].app.language)
        .selectOption(language);
      await board
        .getByRole('heading', { level: 1, name: CATALOGS[language].board.title })
        .waitFor();
      for (const stage of [
        'introduction',
        'area_exploration',
        'knowledge_sharing',
        'project_proposal',
      ] as const) {
        await board
          .getByRole('heading', { level: 2, name: new RegExp(`^${STAGE_NAMES[language][stage]}`) })
          .waitFor();
      }
      expect(await board.locator('html').getAttribute('lang')).toMatch(new RegExp(`^${language}`));
    }
    const me = await http(
      'POST',
      `${platform().api.url}/api/v1/auth/login`,
      { email: coordinator.email, password: coordinator.password },
      {},
      { token: null },
    );
    expect(me.body.user.language).toBe('zh');

    // The timeline records both partners as the actors of their decisions.
    const timeline = await http(
      'GET',
      `${platform().api.url}/api/v1/partnerships/${partnershipId}/timeline?pageSize=100`,
    );
    const deciders = (timeline.body.items as any[])
      .filter((e) => e.type === 'approval.decided')
      .map((e) => e.actor);
    expect(deciders).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'contact',
          name: fixture.organisations[0].contacts[0].name,
        }),
        expect.objectContaining({
          kind: 'contact',
          name: fixture.organisations[1].contacts[0].name,
        }),
      ]),
    );
    // Chromium logs each refused request; the two refusals this story provokes (tasks open,
    // consent missing) are the only problems allowed.
    const refused = problems.all().filter((p) => /status of 409 \(Conflict\)/.test(p));
    expect(refused).toHaveLength(2);
    expect(problems.all().filter((p) => !refused.includes(p))).toEqual([]);
  });

  describe('accessibility in each language', () => {
    // Independent of the story above: a partnership made through the API, seen by the admin.
    let id = '';
    let title = '';
    beforeAll(async () => {
      const request = foundingCaseRequest();
      const created = await http('POST', `${platform().api.url}/api/v1/partnerships`, request);
      expect(created.status).toBe(201);
      id = created.body.id;
      title = request.title;
    });

    it.each(['en', 'es', 'zh'] as const)(
      'in %s: the login page, the board, the partnership page and the create form have no serious or critical finding',
      async (language) => {
        const t = CATALOGS[language];
        // The browser's language decides while the account has none.
        expect(
          (await http('PATCH', `${platform().api.url}/api/v1/me`, { language: null })).status,
        ).toBe(200);
        const { page, problems } = await session.openPage(READERS[language]);
        await page.goto(`${base()}/login`);
        await page.getByRole('heading', { level: 1, name: t.login.title }).waitFor();
        await expectAccessible(page, `the login page in ${language}`);
        await signInAt(page, base(), t);
        await page.getByRole('heading', { level: 1, name: t.board.title }).waitFor();
        await page.locator('.partnership-card').first().waitFor();
        await expectAccessible(page, `the board in ${language}`);
        // The tab says which screen this is, in the reader's language.
        expect(await page.title()).toBe(`${t.board.title} · ${t.app.name}`);
        await page.goto(`${base()}/partnerships/${id}`);
        await page.getByRole('heading', { level: 1, name: title }).waitFor();
        await page.waitForFunction(
          (name) => (globalThis as any).document.title.startsWith(name),
          title,
        );
        await page.locator('.timeline li').first().waitFor();
        // The gate names the template's tasks in the reader's words, as the task list does.
        await page
          .locator('.gate')
          .getByText(TEMPLATE_TASK_TITLES[language]['introduction.introductory_meeting'], {
            exact: false,
          })
          .waitFor();
        await expectAccessible(page, `the partnership page in ${language}`);
        await page.goto(`${base()}/partnerships/new`);
        await page.getByRole('heading', { level: 1, name: t.create.title }).waitFor();
        await expectAccessible(page, `the create form in ${language}`);
        // A submit with nothing filled in: the errors land on the fields, in this language.
        await page.getByRole('button', { name: t.create.submit }).click();
        await page.locator('[aria-invalid="true"]').first().waitFor();
        await expectAccessible(page, `the create form with errors in ${language}`);
        expect(problems.all()).toEqual([]);
      },
    );
  });
});
