import zh from '../../web/src/i18n/zh';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { http, waitFor } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

type Json = Record<string, any>;

const fill = (message: string, values: Record<string, string>): string =>
  message.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? `{{${name}}}`);

/**
 * Reopening a closed partnership on its page, in Chinese, in Debian's chromium with everything
 * real: the admin sees "Reopen the partnership" on the closed partnership, the dialog says the
 * stage it returns to and asks why (axe clean, by keyboard), and once confirmed the page shows
 * it active, the timeline says it was reopened with the reason, and the button is gone.
 */
describe('reopening a closed partnership on its page', () => {
  const { platform, publicBase, session, newPartnership } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const v1 = (path: string): string => `${platform().api.url}/api/v1${path}`;

  it('an admin reopens it in Chinese, with a reason, and it is active again', async () => {
    const created = await newPartnership();
    const id = created.id as string;
    const closed = await http('POST', v1(`/partnerships/${id}/close`), { reason: '资金中断' });
    expect(closed.status).toBe(200);

    const { page, problems } = await session.openPage(READERS.zh);
    await signInAt(page, base(), zh);
    await page.goto(`${base()}/partnerships/${id}`);
    await page.getByRole('heading', { level: 1, name: created.title }).waitFor();
    await page.locator('.badge-closed').getByText(zh.statuses.closed).waitFor();

    const open = page.getByRole('button', { name: zh.partnership.reopenPartnership });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: zh.partnership.reopenPartnership });
    await dialog
      .getByText(fill(zh.partnership.reopenExplained, { stage: zh.stages.introduction }))
      .waitFor();
    await expectAccessible(page, 'the reopen dialog in Chinese');
    const reason = dialog.getByLabel(zh.partnership.reason);
    await reason.focus();
    await page.keyboard.type('资金已恢复');
    await dialog.getByRole('button', { name: zh.partnership.confirmReopen }).click();

    await page
      .locator('ol.timeline')
      .getByText(fill(zh.events['partnership.reopened'], { stage: zh.stages.introduction }))
      .waitFor({ timeout: 20_000 });
    await page.locator('.badge-active').getByText(zh.statuses.active).waitFor();
    await page.locator('ol.timeline').getByText('资金已恢复').waitFor();
    await waitFor(async () => (await open.count()) === 0, { what: 'the reopen button gone' });
    await expectAccessible(page, 'the reopened partnership in Chinese');

    const detail = (await http('GET', v1(`/partnerships/${id}`))).body as Json;
    expect(detail).toMatchObject({ status: 'active', stage: 'introduction' });
    expect(problems.all()).toEqual([]);
  });
});
