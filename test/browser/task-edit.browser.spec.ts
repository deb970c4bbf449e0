import type { Locator, Page } from 'playwright-core';
import en from '../../web/src/i18n/en';
import { focusStyle, pageSummary, READERS, signInAt, trackRequests } from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { http, waitFor } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

type Json = Record<string, any>;

const MEETING = 'introduction.introductory_meeting';

/**
 * A task's assignee and due date on the partnership page, changed with the keyboard. A date field
 * reports each keystroke (typing the year 2028 passes 0002, 0020 and 0202) and a select each arrow
 * key: nothing may reach the API before "Save", or each step would be a change on the timeline
 * and a date in year 2 an overdue reminder e-mailed to the partner.
 */
describe('editing a task on the partnership page', () => {
  const { platform, publicBase, session } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const v1 = (path: string): string => `${platform().api.url}/api/v1${path}`;

  async function task(id: string): Promise<Json> {
    const res = await http('GET', v1(`/partnerships/${id}`));
    const tasks = Object.values(res.body.tasksByStage as Record<string, Json[]>).flat();
    return tasks.find((t) => t.id === MEETING)!;
  }
  async function events(id: string, type: string): Promise<number> {
    const res = await http('GET', v1(`/partnerships/${id}/timeline?pageSize=100`));
    return (res.body.items as Json[]).filter((e) => e.type === type).length;
  }
  const isFocused = async (locator: Locator): Promise<boolean> =>
    (await focusStyle(locator)).focused;

  async function signIn(page: Page): Promise<void> {
    await signInAt(page, base(), en);
  }

  it('sends the due date and the assignee once each, on Save, whatever the keystrokes before', async () => {
    const created = await http('POST', v1('/partnerships'), foundingCaseRequest());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(
      (await http('PATCH', v1(`/partnerships/${id}/tasks/${MEETING}`), { dueDate: '2027-03-10' }))
        .status,
    ).toBe(200);

    const { page, problems } = await session.openPage(READERS.en);
    await signIn(page);
    const patches: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PATCH' && r.url().includes('/tasks/')) patches.push(r.postData() ?? '');
    });
    const requests = trackRequests(page);
    await page.goto(`${base()}/partnerships/${id}`);
    const row = page.locator('li.task', {
      has: page.locator(`#task-${MEETING.replace('.', '_')}-title`),
    });
    const dueDate = row.getByLabel(en.partnership.dueDate);
    await waitFor(async () => (await dueDate.inputValue()) === '2027-03-10', {
      what: 'the due date on the page',
    }).catch(async (err: unknown) => {
      // Say what the page itself reported (an error there would explain the missing field), what
      // it showed, the task's row if there is one, and what it still waits for. (CI saw no row
      // and no problem twice, never reproduced here.)
      const shown = await page
        .locator('li.task')
        .filter({ hasText: 'introductory meeting' })
        .allInnerTexts()
        .catch((e: unknown) => [`(unreadable: ${String(e)})`]);
      throw new Error(
        `${String(err)}\npage problems: ${JSON.stringify(problems.all())}\n` +
          `page: ${await pageSummary(page)}\nrows of the task: ${JSON.stringify(shown)}\n` +
          `unanswered requests: ${JSON.stringify(requests.pending())}`,
      );
    });
    const datesSet = await events(id, 'task.due_date_set');

    // The year is the last part of the field in every locale: two tabs from the first.
    await dueDate.focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('2028');
    expect(await dueDate.inputValue()).toBe('2028-03-10');
    expect(await isFocused(dueDate)).toBe(true);
    await page.waitForTimeout(500);
    expect(patches).toEqual([]);
    expect((await task(id)).dueDate).toBe('2027-03-10');

    // The page's reads of the partnership after this save wait until the assignee below is
    // edited: that edit happens while the save is still settling, whatever the machine's speed.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(
      (url) =>
        url.pathname.startsWith(`/api/v1/partnerships/${id}`) && !url.pathname.endsWith('/stream'),
      async (route) => {
        if (route.request().method() === 'GET') await held;
        await route.continue();
      },
    );
    await row.getByRole('button', { name: en.app.save }).click();
    await waitFor(async () => (await task(id)).dueDate === '2028-03-10', {
      what: 'the new due date',
    });
    expect(patches.map((p) => JSON.parse(p))).toEqual([{ dueDate: '2028-03-10' }]);
    await waitFor(async () => (await events(id, 'task.due_date_set')) === datesSet + 1, {
      what: 'one due-date event',
    });

    // The assignee: two arrow keys on the closed select are two values, one change.
    const assignee = row.getByLabel(en.partnership.assignee);
    await assignee.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const chosen = await assignee.inputValue();
    expect(chosen).not.toBe('');
    expect(await isFocused(assignee)).toBe(true);
    await page.waitForTimeout(500);
    expect(patches).toHaveLength(1);
    release();

    // An edit made while the first save was still settling (the page reading the partnership
    // again) is kept: Save offers it as soon as the first save is done.
    const save = row.getByRole('button', { name: en.app.save });
    await waitFor(async () => (await save.getAttribute('aria-disabled')) === 'false', {
      what: 'Save to offer the new assignee',
    });
    expect(await assignee.inputValue()).toBe(chosen);
    await save.click();
    await waitFor(async () => (await task(id)).assigneeContactId === chosen, {
      what: 'the new assignee',
    });
    expect(patches.slice(1).map((p) => JSON.parse(p))).toEqual([{ assigneeContactId: chosen }]);
    expect(await events(id, 'task.assigned')).toBe(1);
    expect((await task(id)).dueDate).toBe('2028-03-10');
    expect(problems.all()).toEqual([]);
  });
});
