import type { Page } from 'playwright-core';
import type { Language } from '@libs/domain';
import en from '../../web/src/i18n/en';
import es from '../../web/src/i18n/es';
import zh from '../../web/src/i18n/zh';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { http } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

const CATALOGS = { en, es, zh } as const;
/** Thursday 3 December 2026, mid-morning in Valencia: Tuesday 8 (Inmaculada) is days away. */
const NOW = new Date('2026-12-03T10:00:00Z');

/**
 * The partnership page's "Working days" panel in Debian's chromium, everything real: a
 * coordinator in Valencia sees Spain's holiday and when Chengdu works on both clocks; a reader in
 * Shanghai sees the same in Chinese, the other way round. The browser's clock is set to a fixed
 * date, so the panel lists the same days whenever the test runs.
 */
describe('the working days of each partner on the partnership page', () => {
  const { publicBase, session, v1, newPartnership } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const fixture = foundingCaseRequest();
  const [ivace, eiri] = fixture.organisations as Record<string, any>[];
  let id = '';

  beforeAll(async () => {
    id = (await newPartnership(fixture)).id;
  });

  async function openPanel(language: Language, timezoneId: string, partnership = id) {
    const t = CATALOGS[language];
    const opened = await session.openPage({ locale: READERS[language].locale, timezoneId });
    const page: Page = opened.page;
    await page.clock.setFixedTime(NOW);
    await signInAt(page, base(), t);
    await page.goto(`${base()}/partnerships/${partnership}`);
    const panel = page.getByRole('region', { name: t.workingDays.title });
    await panel.locator('table').first().waitFor();
    return { ...opened, panel, t };
  }
  /** The first row of a contact's table: [date, their hours, your time]. */
  async function firstRow(panel: ReturnType<Page['locator']>, caption: string) {
    const table = panel.getByRole('table', { name: caption });
    const row = table.locator('tbody tr').first();
    return [
      await row.locator('th').innerText(),
      await row.locator('td.their-hours').innerText(),
      await row.locator('td.your-time').innerText(),
    ];
  }
  const nextOf = (language: Language, name: string) =>
    CATALOGS[language].workingDays.nextOf.replace('{{name}}', name);

  it('in English, in Valencia: the Spanish holiday, and Chengdu’s hours on both clocks', async () => {
    const { page, panel, problems, t } = await openPanel('en', 'Europe/Madrid');
    const holiday = panel.locator('.days-off li', { hasText: 'La inmaculada concepción' });
    await holiday.waitFor();
    expect(await holiday.innerText()).toContain(t.workingDays.kinds.public_holiday);
    expect(await holiday.innerText()).toMatch(/8 Dec 2026/);
    // 李伟 works 08:30–17:30 in Shanghai: 01:30–10:30 in Valencia.
    const [date, theirs, yours] = await firstRow(panel, nextOf('en', eiri.contacts[0].name));
    expect(date).toMatch(/3 Dec 2026/);
    expect(theirs).toBe('08:30–17:30');
    expect(yours).toMatch(/01:30.*10:30/);
    expect(await panel.innerText()).toContain(t.workingDays.yourTime.replace('{{zone}}', 'Madrid'));
    // Raquel's next days skip Tuesday 8 December.
    const raquel = panel.getByRole('table', { name: nextOf('en', ivace.contacts[0].name) });
    const dates = await raquel.locator('tbody th').allInnerTexts();
    expect(dates.slice(0, 4).map((d) => d.match(/\d+ Dec/)?.[0])).toEqual([
      '3 Dec',
      '4 Dec',
      '7 Dec',
      '9 Dec',
    ]);
    // Both regions are known: no region warning (a note on missing holiday data is another one).
    const regionNote = t.workingDays.regionNotRecognised.split('“')[0];
    expect(await panel.getByRole('note').filter({ hasText: regionNote }).count()).toBe(0);
    await expectAccessible(page, 'the working days panel (en)');
    expect(problems.all()).toEqual([]);
  });

  it('in Chinese, in Shanghai: the Spanish contact’s hours on both clocks', async () => {
    const { page, panel, problems, t } = await openPanel('zh', 'Asia/Shanghai');
    await panel.getByRole('heading', { level: 2, name: zh.workingDays.title }).waitFor();
    const holiday = panel.locator('.days-off li', { hasText: 'La inmaculada concepción' });
    expect(await holiday.innerText()).toContain(t.workingDays.kinds.public_holiday);
    // Raquel works 09:00–18:00 in Madrid: 16:00 to 01:00 the next day in Shanghai.
    const [, theirs, yours] = await firstRow(panel, nextOf('zh', ivace.contacts[0].name));
    expect(theirs).toBe('09:00–18:00');
    expect(yours).toMatch(/16:00.*01:00/);
    expect(await panel.innerText()).toContain(
      t.workingDays.theirHours.replace('{{zone}}', 'Madrid'),
    );
    // Where China's published arrangement ends within the year ahead, the panel says from when.
    const asked = await http(
      'GET',
      v1(`/partnerships/${id}/working-calendars?from=${NOW.toISOString().slice(0, 10)}&days=10`),
    );
    const missingFrom: string | null = asked.body.organisations.find(
      (o: { country: string }) => o.country === 'CN',
    ).holidayDataMissingFrom;
    const [before, after] = t.workingDays.holidayDataMissing.split('{{date}}');
    const dataNote = panel.getByRole('note').filter({ hasText: before });
    if (missingFrom === null) {
      expect(await dataNote.count()).toBe(0);
    } else {
      const text = await dataNote.innerText();
      expect(text.startsWith(before) && text.endsWith(after)).toBe(true);
      expect(text).toContain(`${missingFrom.slice(0, 4)}年`);
      // Inside the Chinese organisation's section, not the Spanish one's.
      const section = panel
        .locator('div.working-days')
        .filter({ has: page.getByRole('note').filter({ hasText: before }) });
      expect(await section.locator('h3').innerText()).toBe(eiri.name);
    }
    await expectAccessible(page, 'the working days panel (zh)');
    expect(problems.all()).toEqual([]);
  });

  it('says so when a region was not recognised (Spanish)', async () => {
    const request = foundingCaseRequest();
    request.organisations[0].region = 'Valencia Region';
    const created = await http('POST', v1('/partnerships'), request);
    expect(created.status).toBe(201);
    const { page, panel, problems, t } = await openPanel('es', 'Europe/Madrid', created.body.id);
    const note = panel.getByRole('note').filter({ hasText: 'Valencia Region' });
    await note.waitFor();
    expect(await note.innerText()).toBe(
      t.workingDays.regionNotRecognised.replace('{{region}}', 'Valencia Region'),
    );
    await expectAccessible(page, 'the working days panel with an unknown region (es)');
    expect(problems.all()).toEqual([]);
  });
});
