import type { Page } from 'playwright-core';
import type { Language } from '@libs/domain';
import en from '../../web/src/i18n/en';
import zh from '../../web/src/i18n/zh';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { usePlatformInBrowser } from '../support/platform-browser';

const CATALOGS = { en, zh } as const;

/**
 * "Find a meeting time" on the partnership page of the founding case (Raquel in Valencia,
 * 09:00–18:00; 李伟 in Chengdu, 08:30–17:30), read from London in English and from Chengdu in
 * Chinese: the week of 11 January 2027 gives ten slots that fit everyone, each shown in both
 * contacts' zones and the reader's own.
 */
describe('the meeting-time finder on the partnership page', () => {
  const { publicBase, session, newPartnership } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  let id = '';

  beforeAll(async () => {
    id = (await newPartnership()).id as string;
  });

  async function openFinder(language: Language & keyof typeof CATALOGS) {
    const t = CATALOGS[language];
    const { page, problems } = await session.openPage(READERS[language]);
    await signInAt(page, base(), t);
    await page.goto(`${base()}/partnerships/${id}`);
    const finder = page.getByRole('region', { name: t.meetingTime.title });
    await finder.waitFor();
    return { page, problems, finder, t };
  }

  async function ask(finder: ReturnType<Page['getByRole']>, t: typeof en) {
    await finder.getByLabel(t.meetingTime.from).fill('2027-01-11');
    await finder.getByLabel(t.meetingTime.to).fill('2027-01-15');
    await finder.getByRole('button', { name: t.meetingTime.find }).click();
    return finder.getByRole('list', { name: t.meetingTime.results }).getByRole('listitem');
  }

  it('in English from London: every contact is an attendee by default, ten slots fit everyone, each in Madrid, Shanghai and London time', async () => {
    const { page, problems, finder, t } = await openFinder('en');
    for (const name of ['Raquel Aguado Muñoz', '李伟']) {
      await expect(
        finder.getByRole('checkbox', { name: new RegExp(name) }).isChecked(),
      ).resolves.toBe(true);
    }
    const slots = await ask(finder, t);
    await slots.first().waitFor();
    expect(await slots.count()).toBe(10);
    const first = await slots.first().innerText();
    expect(first).toContain('Mon 11 Jan');
    expect(first).toContain('09:00–10:00 Madrid');
    expect(first).toContain('16:00–17:00 Shanghai');
    expect(first).toContain(`08:00–09:00 London (${en.meetingTime.yourTime})`);
    expect(first).toContain(en.meetingTime.fitsEveryone);
    const second = await slots.nth(1).innerText();
    expect(second).toContain('09:30–10:30 Madrid');
    expect(second).toContain('16:30–17:30 Shanghai');
    expect(await finder.innerText()).toContain(
      en.meetingTime.commonCount_other.replace('{{count}}', '10'),
    );
    await expectAccessible(page, 'the meeting-time finder with its proposals');

    // Adding the reader (09:00–18:00 in London): nothing fits everyone any more, and each
    // proposal says whom it inconveniences.
    await finder.getByRole('checkbox', { name: /London/ }).check();
    await finder.getByRole('button', { name: t.meetingTime.find }).click();
    await finder.getByText(en.meetingTime.fair).waitFor();
    const fair = await slots.first().innerText();
    expect(fair).not.toContain(en.meetingTime.fitsEveryone);
    expect(fair).toMatch(/minutes? outside working hours/);
    expect(problems.all()).toEqual([]);
  });

  it('in Chinese from Chengdu: the same slots, with Chinese words and Shanghai as the reader’s time', async () => {
    const { page, problems, finder, t } = await openFinder('zh');
    const slots = await ask(finder, t);
    await slots.first().waitFor();
    expect(await slots.count()).toBe(10);
    const first = await slots.first().innerText();
    expect(first).toContain(`16:00–17:00 Shanghai (${zh.meetingTime.yourTime})`);
    expect(first).toContain('09:00–10:00 Madrid');
    expect(first).toContain(zh.meetingTime.fitsEveryone);
    expect(first).not.toContain(en.meetingTime.fitsEveryone);
    await expectAccessible(page, 'the meeting-time finder in Chinese');
    expect(problems.all()).toEqual([]);
  });
});
