import type { Page, Response } from 'playwright-core';
import { signTaskLink } from '@libs/approval-links';
import { approvalLinkSecret, loadConfig } from '@libs/config';
import { STAGE_NAMES, TEMPLATE_TASK_TITLES } from '@libs/domain';
import type { DefaultTemplateTaskId, Language } from '@libs/domain';
import { formatCalendarDate } from '@libs/notifications';
import { taskWords } from '../../apps/api/src/approvals/task-page';
import {
  expectAccessible,
  focusStyle,
  followEmailLink,
  PageProblems,
  READERS,
  saveScreenshot,
  tabTo,
  VIEWPORTS,
} from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { awaitMessages, MailpitMessage, taskToken } from '../support/mailpit';
import { http, requireEnv, waitFor } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

type Json = Record<string, any>;

const DAY_MS = 86_400_000;
/** Every hour of every day: the overdue reminders go out at once, whenever the test runs. */
const ALWAYS = { start: '00:00', end: '23:59', days: [1, 2, 3, 4, 5, 6, 7] };
/** Each contact's overdue task: three tasks of the introduction stage. */
const TASKS: Record<Language, DefaultTemplateTaskId> = {
  es: 'introduction.introductory_meeting',
  zh: 'introduction.organisation_profiles',
  en: 'introduction.ongoing_projects',
};
const LANGUAGES: readonly Language[] = ['es', 'zh', 'en'];
/** `<html lang>` of each language's page. */
const HTML_LANG: Record<Language, string> = { es: 'es', zh: 'zh-CN', en: 'en' };

/**
 * The partner's task page (/t/:token) in Debian's chromium, everything real: contacts whose tasks
 * are overdue open the link in the reminder Mailpit received, read the page in their language,
 * and, without JavaScript, mark the task done or say what blocks it; the timeline names them.
 * Tampered and expired links get a clear page and change nothing; nothing is recorded twice.
 */
describe('partner task page in the browser', () => {
  const { platform, publicBase, session } = usePlatformInBrowser();
  const v1 = (path: string): string => `${platform().api.url}/api/v1${path}`;
  const secret = (): string =>
    approvalLinkSecret(
      loadConfig({ DATABASE_URL: requireEnv('TEST_DATABASE_URL'), NODE_ENV: 'test' }),
    );

  interface Contact {
    id: string;
    name: string;
    email: string;
    taskId: DefaultTemplateTaskId;
    message: MailpitMessage;
    token: string;
  }
  const contacts = {} as Record<Language, Contact>;
  let partnershipId: string;
  let partnershipTitle: string;
  const dueDate = new Date(Date.now() - 2 * DAY_MS).toISOString().slice(0, 10);

  async function timeline(): Promise<Json[]> {
    const res = await http('GET', v1(`/partnerships/${partnershipId}/timeline?pageSize=100`));
    expect(res.status).toBe(200);
    return res.body.items as Json[];
  }

  async function tasks(): Promise<Record<Language, Json>> {
    const res = await http('GET', v1(`/partnerships/${partnershipId}`));
    expect(res.status).toBe(200);
    const all = Object.values(res.body.tasksByStage as Record<string, Json[]>).flat();
    return Object.fromEntries(
      LANGUAGES.map((l) => [l, all.find((t) => t.id === TASKS[l])!]),
    ) as Record<Language, Json>;
  }

  /** What a refused link must leave as it was: the three tasks and the whole timeline. */
  async function snapshot(): Promise<{ tasks: Record<Language, Json>; timeline: Json[] }> {
    return { tasks: await tasks(), timeline: await timeline() };
  }

  beforeAll(async () => {
    const request = foundingCaseRequest();
    partnershipTitle = request.title;
    // A third contact who reads English, so the page is checked in all three languages.
    request.organisations[1].contacts.push({
      name: 'Chen Jing',
      email: request.organisations[1].contacts[0].email.replace('li.wei', 'chen.jing'),
      language: 'en',
      timeZone: 'Asia/Shanghai',
    });
    for (const organisation of request.organisations) {
      for (const contact of organisation.contacts) contact.workingHours = ALWAYS;
    }
    const created = await http('POST', v1('/partnerships'), request);
    expect(created.status).toBe(201);
    partnershipId = created.body.id;
    const people = (created.body.organisations as Json[]).flatMap((o) => o.contacts as Json[]);
    for (const language of LANGUAGES) {
      const person = people.find((c) => c.language === language)!;
      const assigned = await http(
        'PATCH',
        v1(`/partnerships/${partnershipId}/tasks/${TASKS[language]}`),
        {
          assigneeContactId: person.id,
          dueDate,
        },
      );
      expect(assigned.status).toBe(200);
      contacts[language] = { ...(person as Contact), taskId: TASKS[language] };
    }
    for (const language of LANGUAGES) {
      const contact = contacts[language];
      const messages = await awaitMessages(contact.email, 1);
      const message = messages.find((m) => m.Text.includes('/t/'));
      if (!message) throw new Error(`no task link in the e-mails to ${contact.email}`);
      contact.message = message;
      contact.token = taskToken(message);
      // The reminder names the task in the contact's language.
      expect(message.Subject).toContain(TEMPLATE_TASK_TITLES[language][contact.taskId]);
    }
    // The workflow records each reminder once sent: wait for them, so the timeline is still.
    await waitFor(
      async () =>
        (await timeline()).filter((e) => e.type === 'task.overdue_reminded').length >=
        LANGUAGES.length,
      { what: 'the three overdue reminders on the timeline' },
    );
  });

  async function openFromEmail(
    language: Language,
    options: { viewport?: 'desktop' | 'phone'; javaScriptEnabled?: boolean } = {},
  ) {
    const opened = await session.openPage({ ...READERS[language], ...options });
    const { url: link } = await followEmailLink(
      opened.page,
      contacts[language].message.HTML,
      /\/t\/[^/?#]+$/,
    );
    expect(link).toBe(`${publicBase().origin}/t/${contacts[language].token}`);
    return opened;
  }

  /** Submits the form whose button is `button` and returns the server's answer to the POST. */
  async function submit(page: Page, button: string): Promise<Response> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && /\/t\//.test(r.url())),
      page.getByRole('button', { name: button, exact: true }).click(),
    ]);
    await page.waitForLoadState('load');
    return response;
  }

  /**
   * The problems the context saw, less Chrome's own log line for a page served with an error
   * status the test asked for (a refused link is answered 400, 409 or 410 on purpose).
   */
  function unexpected(problems: PageProblems, statuses: number[] = []): string[] {
    return problems
      .all()
      .filter(
        (p) =>
          !statuses.some((s) =>
            p.includes(`Failed to load resource: the server responded with a status of ${s}`),
          ),
      );
  }

  async function expectNoOverflow(page: Page): Promise<void> {
    const widths = await page.evaluate(() => {
      const root = (globalThis as any).document.documentElement;
      return { scroll: root.scrollWidth as number, client: root.clientWidth as number };
    });
    expect(widths.client).toBe(page.viewportSize()!.width);
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  }

  /**
   * A refusal page: the message in `language` (an alert, or a status for what is merely already
   * so), and nothing to submit.
   */
  async function expectRefusal(
    page: Page,
    language: Language,
    message: string,
    role: 'alert' | 'status' = 'alert',
  ): Promise<void> {
    expect(await page.locator('html').getAttribute('lang')).toBe(HTML_LANG[language]);
    expect(await page.title()).toContain(taskWords(language).title());
    expect((await page.getByRole(role).innerText()).trim()).toBe(message);
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.getByRole('button').count()).toBe(0);
  }

  it.each<[Language, 'desktop' | 'phone', string | undefined]>([
    ['es', 'phone', 'task-page-es'],
    ['zh', 'desktop', 'task-page-zh'],
    ['en', 'phone', undefined],
  ])(
    'the %s contact opens the link from the overdue e-mail: the page is in their language, axe finds nothing serious, and nothing overflows on a phone (opened on a %s)',
    async (language, viewport, screenshot) => {
      const w = taskWords(language);
      const contact = contacts[language];
      const { page, problems } = await openFromEmail(language, { viewport });

      expect(await page.locator('html').getAttribute('lang')).toBe(HTML_LANG[language]);
      expect(await page.title()).toContain(w.title());
      expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe(w.title());
      const text = await page.locator('body').innerText();
      expect(text).toContain(w.intro({ name: contact.name }));
      expect(text).toContain(partnershipTitle);
      expect(text).toContain(TEMPLATE_TASK_TITLES[language][contact.taskId]);
      expect(text).toContain(STAGE_NAMES[language].introduction);
      expect(text).toContain(formatCalendarDate(dueDate, language));
      // The other languages' words are not there.
      for (const other of LANGUAGES.filter((l) => l !== language)) {
        expect(text).not.toContain(TEMPLATE_TASK_TITLES[other][contact.taskId]);
        expect(text).not.toContain(taskWords(other).doneHeading());
      }
      expect(await page.getByRole('button', { name: w.done(), exact: true }).isVisible()).toBe(
        true,
      );
      expect(await page.getByRole('button', { name: w.blocked(), exact: true }).isVisible()).toBe(
        true,
      );
      expect(await page.getByLabel(w.doneComment()).count()).toBe(1);
      expect(await page.getByLabel(w.blockedReason()).count()).toBe(1);

      if (viewport === 'phone') await expectNoOverflow(page);
      await expectAccessible(page, `the task page in ${language}`);
      if (screenshot) await saveScreenshot(page, screenshot);
      if (viewport !== 'phone') {
        await page.setViewportSize(VIEWPORTS.phone);
        await expectNoOverflow(page);
      }
      expect(problems.all()).toEqual([]);
    },
  );

  it('Tab reaches the submit button, and the focus is visible', async () => {
    const { page, problems } = await openFromEmail('es', {
      viewport: 'phone',
      javaScriptEnabled: false,
    });
    const done = page.getByRole('button', { name: taskWords('es').done(), exact: true });
    await tabTo(page, done);
    const style = await focusStyle(done);
    expect(style.focused).toBe(true);
    expect(style.outlineStyle).toBe('solid');
    expect(parseFloat(style.outlineWidth)).toBeGreaterThanOrEqual(3);
    expect(style.outlineColor).toBe('rgb(245, 158, 11)');
    expect(problems.all()).toEqual([]);
  });

  it('answers tampered and expired links with a clear page in the contact’s language (or the browser’s, when the token cannot be read) and changes nothing', async () => {
    const before = await snapshot();
    const link = (token: string): string => `${publicBase().origin}/t/${token}`;
    /** One character of the signature changed (its first: all six of its bits count). */
    const tamper = (token: string): string => {
      const [payload, signature] = token.split('.');
      return `${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    };
    const expire = (language: Language): string =>
      signTaskLink(
        {
          partnershipId,
          taskId: contacts[language].taskId,
          contactId: contacts[language].id,
          expiresAt: new Date(Date.now() - 6 * DAY_MS),
        },
        secret(),
        new Date(Date.now() - 20 * DAY_MS),
      );

    for (const language of ['es', 'zh'] as const) {
      const w = taskWords(language);
      const tampered = tamper(contacts[language].token);
      expect(tampered).not.toBe(contacts[language].token);

      // Tampered: nothing in it can be trusted, so the page speaks the browser's language.
      const { page, problems } = await session.openPage(READERS[language]);
      const shown = await page.goto(link(tampered));
      expect(shown?.status()).toBe(400);
      await expectRefusal(page, language, w.invalid());
      await expectAccessible(page, `the tampered-link page in ${language}`);

      // Expired but genuine: the contact's language, whatever the browser's.
      const english = await session.openPage({ ...READERS.en, viewport: 'phone' });
      const old = await english.page.goto(link(expire(language)));
      expect(old?.status()).toBe(410);
      await expectRefusal(english.page, language, w.expired());
      await expectNoOverflow(english.page);
      await expectAccessible(english.page, `the expired-link page in ${language}`);

      expect(unexpected(problems, [400])).toEqual([]);
      expect(unexpected(english.problems, [410])).toEqual([]);
    }

    // A token that is not one at all, in an English browser: a neutral page in English.
    const { page, problems } = await session.openPage(READERS.en);
    expect((await page.goto(link('not-a-token')))?.status()).toBe(400);
    await expectRefusal(page, 'en', taskWords('en').invalid());
    expect(unexpected(problems, [400])).toEqual([]);

    // The genuine page's forms sent to the tampered and to the expired address: refused.
    for (const [language, kind] of [
      ['es', 'tampered'],
      ['zh', 'expired'],
    ] as const) {
      const w = taskWords(language);
      const opened = await openFromEmail(language, { javaScriptEnabled: false });
      const target = kind === 'tampered' ? tamper(contacts[language].token) : expire(language);
      await opened.page.locator('form').evaluateAll((forms: any[], action: string) => {
        for (const f of forms) f.setAttribute('action', action);
      }, `/t/${target}`);
      await opened.page.getByLabel(w.doneComment()).fill('Hecho / 已完成');
      const response = await submit(opened.page, w.done());
      expect(response.status()).toBe(kind === 'tampered' ? 400 : 410);
      await expectRefusal(opened.page, language, kind === 'tampered' ? w.invalid() : w.expired());
      expect(unexpected(opened.problems, [response.status()])).toEqual([]);
    }

    const after = await snapshot();
    expect(after.timeline).toHaveLength(before.timeline.length);
    expect(after).toEqual(before);
    for (const language of LANGUAGES) expect(after.tasks[language].status).toBe('open');
  });

  it('without JavaScript, the Spanish contact marks the task done with a comment and the Chinese contact says what blocks theirs; a second submit of the same form does nothing; the timeline names them', async () => {
    const reports = {
      es: { button: 'done', field: 'doneComment', text: 'Reunión celebrada el lunes 3.' },
      zh: { button: 'blocked', field: 'blockedReason', text: '等待院长确认日程安排。' },
    } as const;
    const recorded: Partial<Record<'es' | 'zh', Json[]>> = {};

    for (const language of ['es', 'zh'] as const) {
      const w = taskWords(language);
      const report = reports[language];
      const { context, page, problems } = await openFromEmail(language, {
        viewport: language === 'es' ? 'phone' : 'desktop',
        javaScriptEnabled: false,
      });
      // The same page in a second tab, opened before the first submit: a form sent twice.
      const second = await context.newPage();
      await second.goto(page.url());

      const start = (await timeline()).length;
      await page.getByLabel(w[report.field]()).fill(report.text);
      const first = await submit(page, w[report.button]());
      expect(first.status()).toBe(200);
      expect(await page.locator('html').getAttribute('lang')).toBe(HTML_LANG[language]);
      const thanks = report.button === 'done' ? w.thanksDone() : w.thanksBlocked();
      expect((await page.getByRole('status').innerText()).trim()).toBe(thanks);
      expect(await page.locator('form').count()).toBe(0);
      const once = await timeline();
      expect(once).toHaveLength(start + 1);
      recorded[language] = once;

      await second.getByLabel(w[report.field]()).fill(report.text);
      const again = await submit(second, w[report.button]());
      expect(again.status()).toBe(409);
      // Done already: said as a status; the same block again: an alert. Either way, nothing new.
      if (report.button === 'done')
        await expectRefusal(second, language, w.alreadyDone(), 'status');
      else await expectRefusal(second, language, w.blockAlreadyReported());
      expect(await timeline()).toEqual(once);
      expect(unexpected(problems, [409])).toEqual([]);
    }

    // The link still opens, and says the task is done.
    const later = await openFromEmail('es', { javaScriptEnabled: false });
    expect((await later.page.getByRole('status').innerText()).trim()).toBe(
      taskWords('es').alreadyDone(),
    );
    expect(await later.page.locator('form').count()).toBe(0);

    // The API, as an administrator: the task is done, and the contacts are the actors.
    const now = await tasks();
    expect(now.es).toMatchObject({ status: 'done', assigneeContactId: contacts.es.id });
    expect(now.zh).toMatchObject({ status: 'open', assigneeContactId: contacts.zh.id });
    expect(now.en.status).toBe('open');
    const items = await timeline();
    expect(items).toEqual(recorded.zh);
    const actor = (language: 'es' | 'zh') => ({
      kind: 'contact',
      id: contacts[language].id,
      name: contacts[language].name,
      email: contacts[language].email,
    });
    const completed = items.filter((e) => e.type === 'task.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({
      actor: actor('es'),
      payload: { taskId: contacts.es.taskId, comment: reports.es.text },
    });
    const blocked = items.filter((e) => e.type === 'task.blocked');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]).toMatchObject({
      actor: actor('zh'),
      payload: { taskId: contacts.zh.taskId, reason: reports.zh.text },
    });
    expect(later.problems.all()).toEqual([]);
  });
});
