import type { Language } from '@libs/domain';
import en from '../../web/src/i18n/en';
import zh from '../../web/src/i18n/zh';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { http } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

const CATALOGS = { en, zh } as const;

/**
 * The partnership page's "Whose turn" panel in Debian's chromium, everything real: a task of the
 * current stage assigned to the Spanish partner's contact makes the partnership wait on that
 * partner; the panel names it, in English and in Chinese, with the waiting time of each side.
 */
describe('whose turn it is, on the partnership page', () => {
  const { publicBase, session, v1, newPartnership } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const fixture = foundingCaseRequest();
  const [ivace, eiri] = fixture.organisations as Record<string, any>[];
  let id = '';

  beforeAll(async () => {
    const created = await newPartnership(fixture);
    id = created.id as string;
    const spanish = (created.organisations as Record<string, any>[]).find(
      (o) => o.country === 'ES',
    )!;
    const task = (created.tasksByStage.introduction as Record<string, any>[]).find(
      (t) => t.status === 'open' && !t.answeredBy,
    )!;
    const assigned = await http('PATCH', v1(`/partnerships/${id}/tasks/${task.id}`), {
      assigneeContactId: spanish.contacts[0].id,
    });
    expect(assigned.status).toBe(200);
  });

  async function openPanel(language: Language & keyof typeof CATALOGS, timezoneId: string) {
    const t = CATALOGS[language];
    const opened = await session.openPage({ locale: READERS[language].locale, timezoneId });
    await signInAt(opened.page, base(), t);
    await opened.page.goto(`${base()}/partnerships/${id}`);
    const panel = opened.page.getByRole('region', { name: t.insight.title });
    await panel.getByRole('table').waitFor();
    return { ...opened, panel, t };
  }

  for (const [language, zone] of [
    ['en', 'Europe/Madrid'],
    ['zh', 'Asia/Shanghai'],
  ] as const) {
    it(`names the partner it waits on, and each side's waiting time (${language})`, async () => {
      const { page, panel, problems, t } = await openPanel(language, zone);
      expect(await panel.getByTestId('whose-turn').innerText()).toBe(ivace.name);
      const table = panel.getByRole('table', { name: t.insight.waitingCaption });
      const sides = await table.locator('tbody th').allInnerTexts();
      expect(sides).toEqual([t.insight.waitingOn.coordinator, ...[ivace.name, eiri.name].sort()]);
      expect(await table.locator('tbody td').count()).toBe(3);
      await expectAccessible(page, `the whose-turn panel (${language})`);
      expect(problems.all()).toEqual([]);
    });
  }

  for (const [language, zone] of [
    ['en', 'Europe/Madrid'],
    ['zh', 'Asia/Shanghai'],
  ] as const) {
    it(`shows the Insight page's charts with their tables (${language})`, async () => {
      const t = CATALOGS[language];
      const { page, problems } = await session.openPage({
        locale: READERS[language].locale,
        timezoneId: zone,
      });
      await signInAt(page, base(), t);
      await page
        .getByRole('navigation', { name: t.nav.main })
        .getByRole('link', { name: t.nav.insight })
        .click();
      await page.getByRole('heading', { level: 1, name: t.insight.pageTitle }).waitFor();
      const sides = page.getByRole('table', { name: t.insight.sidesTitle });
      await sides.waitFor();
      // The coordinator's row first, then the partners, among them the one with the assigned task.
      expect(await sides.locator('tbody th').first().innerText()).toBe(
        t.insight.waitingOn.coordinator,
      );
      expect(await sides.locator('tbody th').allInnerTexts()).toContain(ivace.name);
      const stages = page.getByRole('table', { name: t.insight.stagesTitle });
      expect(await stages.locator('tbody tr').count()).toBe(4);
      expect(await page.locator('.recharts-wrapper').count()).toBe(2);
      await page.getByRole('button', { name: t.app.downloadCsv }).waitFor();
      await expectAccessible(page, `the Insight page (${language})`);
      expect(problems.all()).toEqual([]);
    });
  }
});
