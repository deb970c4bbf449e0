import type { Page } from 'playwright-core';
import es from '../../web/src/i18n/es';
import { expectAccessible, READERS, saveScreenshot, signInAt } from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { http } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

const fill = (text: string, values: Record<string, string | number>): string =>
  Object.entries(values).reduce((s, [k, v]) => s.replace(`{{${k}}}`, String(v)), text);

/**
 * An admin closes a partner on a date from the partnership page, in Spanish, in Debian's
 * chromium with everything real: the link beside the organisation's working days opens its
 * closure days, the closure re-plans the partnership, and the working days panel lists it as a
 * day off; opening again asks first and takes it away.
 */
describe('an admin sets an organisation’s closure days', () => {
  const { publicBase, session, v1, newPartnership } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const fixture = foundingCaseRequest();
  const ivace = fixture.organisations[0] as Record<string, any>;
  let id = '';
  let day = '';

  beforeAll(async () => {
    id = (await newPartnership(fixture)).id;
    // Raquel's second next working day: a date the panel lists, and then lists as closed.
    const calendars = await http('GET', v1(`/partnerships/${id}/working-calendars?days=10`));
    const es = (calendars.body.organisations as any[]).find((o) => o.country === 'ES');
    day = es.contacts[0].nextWorkingDays[1].date;
  });

  async function dayOffItems(page: Page): Promise<string[]> {
    const panel = page.getByRole('region', { name: es.workingDays.title });
    await panel.locator('table').first().waitFor();
    return panel.locator('.days-off li').allInnerTexts();
  }

  it('in Spanish: from the working days to the closure form, and back with the day off', async () => {
    const { page, problems } = await session.openPage({
      locale: READERS.es.locale,
      timezoneId: 'Europe/Madrid',
    });
    await signInAt(page, base(), es);
    await page.goto(`${base()}/partnerships/${id}`);
    expect((await dayOffItems(page)).some((d) => d.includes('Cierre de la agencia'))).toBe(false);

    await page
      .getByRole('link', { name: fill(es.workingDays.editClosures, { name: ivace.name }) })
      .click();
    const panel = page.getByRole('region', { name: fill(es.closures.of, { name: ivace.name }) });
    await panel.getByText(es.closures.none).waitFor();
    await expectAccessible(page, 'the closure days of an organisation (es)');

    // Sending without a reason says what is missing and sends nothing.
    await panel.getByLabel(es.closures.date, { exact: true }).fill(day);
    await panel.getByRole('button', { name: es.closures.add }).click();
    await panel.getByText(es.validation.required).first().waitFor();
    expect((await http('GET', v1(`/organisations/${await orgId()}/closures`))).body.items).toEqual(
      [],
    );

    await panel.getByLabel(es.closures.name, { exact: true }).fill('Cierre de la agencia');
    await panel.getByRole('button', { name: es.closures.add }).click();
    const status = panel.getByRole('status');
    await status.waitFor();
    expect(await status.innerText()).toContain(fill(es.closures.replanned_one, { count: 1 }));
    const item = panel.locator('.closure-list li');
    await item.waitFor();
    expect(await item.innerText()).toContain('Cierre de la agencia');
    await saveScreenshot(page, 'organisation-closures-es', { fullPage: true });
    expect(
      (await http('GET', v1(`/organisations/${await orgId()}/closures`))).body.items,
    ).toMatchObject([{ date: day, name: 'Cierre de la agencia' }]);

    // The partnership page lists it among the agency's days off.
    await page.goto(`${base()}/partnerships/${id}`);
    await page
      .getByRole('region', { name: es.workingDays.title })
      .locator('.days-off li', { hasText: 'Cierre de la agencia' })
      .waitFor();
    const closed = (await dayOffItems(page)).find((d) => d.includes('Cierre de la agencia'));
    expect(closed).toContain(es.workingDays.kinds.closure);

    // Opening again asks first.
    await page.goto(`${base()}/admin/organisations?organisation=${await orgId()}`);
    const again = page.getByRole('region', { name: fill(es.closures.of, { name: ivace.name }) });
    await again.locator('.closure-list li').waitFor();
    await again.getByRole('button', { name: es.closures.remove }).click();
    const dialog = page.getByRole('dialog', { name: es.closures.removeTitle });
    await dialog.waitFor();
    await expectAccessible(page, 'the confirmation to open an organisation again (es)');
    await dialog.getByRole('button', { name: es.closures.remove }).click();
    await again.getByText(es.closures.none).waitFor();
    expect((await http('GET', v1(`/organisations/${await orgId()}/closures`))).body.items).toEqual(
      [],
    );
    expect(problems.all()).toEqual([]);
  });

  async function orgId(): Promise<string> {
    const partnership = await http('GET', v1(`/partnerships/${id}`));
    return (partnership.body.organisations as any[]).find((o) => o.country === 'ES').id;
  }
});
