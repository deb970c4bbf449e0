import en from '../../web/src/i18n/en';
import zh from '../../web/src/i18n/zh';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { foundingCaseRequest } from '../support/fixtures';
import { awaitMessages, eventToken } from '../support/mailpit';
import { http } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

type Json = Record<string, any>;

/**
 * The Events section of the partnership page: a coordinator in London picks a slot of the
 * meeting-time finder, schedules a seminar at it, and sees it with each attendee's answer; once
 * Raquel has accepted through her link, a coordinator reading in Chinese from Chengdu sees her
 * answer and cancels the event through its confirm dialog. Every state passes axe.
 */
describe('events on the partnership page', () => {
  const { platform, publicBase, session } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const v1 = (path: string): string => `${platform().api.url}/api/v1${path}`;
  let partnership: Json;

  beforeAll(async () => {
    // The browser's language decides (another suite may have set the admin's).
    expect((await http('PATCH', v1('/me'), { language: null })).status).toBe(200);
    const created = await http('POST', v1('/partnerships'), foundingCaseRequest());
    expect(created.status).toBe(201);
    partnership = created.body;
  });

  it('in English: schedules a seminar at a slot the finder proposes, and lists it with the answers', async () => {
    const t = en;
    const { page, problems } = await session.openPage(READERS.en);
    await signInAt(page, base(), t);
    await page.goto(`${base()}/partnerships/${partnership.id}`);
    const finder = page.getByRole('region', { name: t.meetingTime.title });
    await finder.getByLabel(t.meetingTime.from).fill('2027-01-11');
    await finder.getByLabel(t.meetingTime.to).fill('2027-01-15');
    await finder.getByRole('button', { name: t.meetingTime.find }).click();
    const slots = finder.getByRole('list', { name: t.meetingTime.results }).getByRole('listitem');
    await slots.first().waitFor();
    await slots.first().getByRole('button', { name: t.calendarEvents.scheduleAt }).click();

    const dialog = page.getByRole('dialog', { name: t.calendarEvents.schedule });
    await dialog.waitFor();
    // The slot's start, 08:00 UTC, on the London reader's wall clock.
    await expect(
      dialog.getByLabel(t.calendarEvents.start.replace('{{zone}}', 'London')).inputValue(),
    ).resolves.toBe('2027-01-11T08:00');
    await dialog.getByLabel(t.calendarEvents.kind).selectOption('seminar');
    await dialog.getByLabel(t.calendarEvents.eventTitle).fill('Funding environment seminar');
    await dialog.getByLabel(t.calendarEvents.place).fill('IVACE, Sala 2, València');
    await expectAccessible(page, 'the schedule-an-event dialog');
    await dialog.getByRole('button', { name: t.calendarEvents.scheduleSubmit }).click();
    await dialog.waitFor({ state: 'hidden' });

    const events = page.getByRole('region', { name: t.calendarEvents.title });
    const item = events.getByRole('listitem', { name: /Funding environment seminar/ });
    await item.waitFor();
    const text = await item.innerText();
    expect(text).toContain(t.calendarEvents.kinds.seminar);
    expect(text).toContain('Place: IVACE, Sala 2, València');
    expect(text).toMatch(/Raquel Aguado Muñoz \(Madrid\)\s*No answer yet/);
    expect(text).toMatch(/李伟 \(Shanghai\)\s*No answer yet/);
    expect(text).toContain(t.calendarEvents.answers.accepted); // the organiser attends
    await expectAccessible(page, 'the Events section with a seminar');
    expect(problems.all()).toEqual([]);
  });

  it('in Chinese: shows Raquel’s accept from her link, and cancels the seminar after confirming', async () => {
    const raquel = partnership.organisations.find((o: Json) => o.country === 'ES').contacts[0];
    const [invitation] = await awaitMessages(raquel.email, 1);
    const accepted = await fetch(`${platform().api.url}/e/${eventToken(invitation)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'answer=accepted',
    });
    expect(accepted.status).toBe(200);

    const t = zh;
    const { page, problems } = await session.openPage(READERS.zh);
    await signInAt(page, base(), t);
    await page.goto(`${base()}/partnerships/${partnership.id}`);
    const events = page.getByRole('region', { name: t.calendarEvents.title });
    const item = events.getByRole('listitem', { name: /Funding environment seminar/ });
    await item.waitFor();
    const text = await item.innerText();
    expect(text).toContain(t.calendarEvents.kinds.seminar);
    expect(text).toMatch(/Raquel Aguado Muñoz \(Madrid\)\s*已接受/);
    expect(text).toMatch(/李伟 \(Shanghai\)\s*尚未答复/);
    // 08:00 UTC is 16:00 in Chengdu.
    expect(text).toContain('16:00');

    await item.getByRole('button', { name: t.calendarEvents.cancel }).click();
    const confirm = page.getByRole('dialog', {
      name: t.calendarEvents.cancelTitle.replace('{{title}}', 'Funding environment seminar'),
    });
    await confirm.waitFor();
    await expectAccessible(page, 'the cancel-event dialog in Chinese');
    await confirm.getByRole('button', { name: t.calendarEvents.cancelConfirm }).click();
    await item.getByText(t.calendarEvents.cancelled).waitFor();
    await expectAccessible(page, 'a cancelled event in Chinese');
    expect(problems.all()).toEqual([]);
  });
});
