import zh from '../../web/src/i18n/zh';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { http } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

/**
 * A coordinator in Chengdu says, in Chinese, where they work in a partnership's follow-up
 * settings (Debian's chromium, everything real): the summary shows the place and the API has it
 * (test/e2e/coordinator-calendar.e2e.spec.ts checks the reminder planned in its calendar).
 */
describe('the coordinator’s place in the follow-up settings', () => {
  const { publicBase, session, v1, newPartnership } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  let id = '';

  beforeAll(async () => {
    id = (await newPartnership()).id;
  });

  it('in Chinese: sets China and Sichuan, and the summary says so', async () => {
    const { page, problems } = await session.openPage({
      locale: READERS.zh.locale,
      timezoneId: 'Asia/Shanghai',
    });
    await signInAt(page, base(), zh);
    await page.goto(`${base()}/partnerships/${id}`);
    const panel = page.getByRole('region', { name: zh.partnership.followUpPolicy });
    await panel.getByText(zh.policy.coordinatorNoPlace).waitFor();
    await panel.getByRole('button', { name: zh.policy.edit }).click();

    await panel.getByRole('combobox', { name: zh.policy.coordinatorCountry }).fill('CN');
    await page.keyboard.press('Escape');
    await panel.getByLabel(zh.policy.coordinatorRegion).fill('Sichuan');
    await expectAccessible(page, 'the follow-up settings with the coordinator’s place (zh)');
    await panel.getByRole('button', { name: zh.policy.save }).click();
    await panel.getByText(zh.policy.saved).waitFor();
    // The summary shows the saved policy once the partnership is read again.
    const summary = await panel
      .locator('.policy-summary', { hasText: 'Sichuan' })
      .innerText({ timeout: 10_000 });
    expect(summary).toContain('Sichuan');
    expect(summary).toContain(new Intl.DisplayNames(['zh-CN'], { type: 'region' }).of('CN'));

    const detail = await http('GET', v1(`/partnerships/${id}`));
    expect(detail.body.followUpPolicy.coordinator).toMatchObject({
      country: 'CN',
      region: 'Sichuan',
    });
    expect(problems.all()).toEqual([]);
  });
});
