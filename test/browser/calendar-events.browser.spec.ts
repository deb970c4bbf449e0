import en from '../../web/src/i18n/en';
import zh from '../../web/src/i18n/zh';
import { expectAccessible, READERS, signInAt } from '../support/browser';
import { localDate, localTime, plainWorkingWeek, zonedWallClock } from '../support/event-dates';
import { foundingCaseRequest } from '../support/fixtures';
import { awaitMessages, eventToken, messagesTo } from '../support/mailpit';
import { http } from '../support/stack';
import { usePlatformInBrowser } from '../support/platform-browser';

type Json = Record<string, any>;

/**
 * The Events section of the partnership page: a coordinator in London picks a slot of the
 * meeting-time finder, schedules a seminar at it, and sees it with each attendee's answer; then
 * takes 李伟 off its attendees in the edit dialog; once Raquel has accepted through her link, a
 * coordinator reading in Chinese from Chengdu sees her answer and cancels the event through its
 * confirm dialog. Every state passes axe.
 */
describe('events on the partnership page', () => {
  const { platform, publicBase, session } = usePlatformInBrowser();
  const base = (): string => publicBase().origin;
  const v1 = (path: string): string => `${platform().api.url}/api/v1${path}`;
  let partnership: Json;
  // A week ahead with no day off in Valencia or Sichuan: its Monday has the finder's first slot,
  // 09:00 in Madrid (where the working days of Madrid and Chengdu first overlap).
  const week = plainWorkingWeek();
  const slot = zonedWallClock(week.monday, 9, 0, 'Europe/Madrid');

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
    await finder.getByLabel(t.meetingTime.from).fill(week.monday);
    await finder.getByLabel(t.meetingTime.to).fill(week.friday);
    await finder.getByRole('button', { name: t.meetingTime.find }).click();
    const slots = finder.getByRole('list', { name: t.meetingTime.results }).getByRole('listitem');
    await slots.first().waitFor();
    await slots.first().getByRole('button', { name: t.calendarEvents.scheduleAt }).click();

    const dialog = page.getByRole('dialog', { name: t.calendarEvents.schedule });
    await dialog.waitFor();
    // The slot's start on the London reader's wall clock.
    await expect(
      dialog.getByLabel(t.calendarEvents.start.replace('{{zone}}', 'London')).inputValue(),
    ).resolves.toBe(`${localDate(slot, 'Europe/London')}T${localTime(slot, 'Europe/London')}`);
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

  it('in English: takes 李伟 off the seminar’s attendees in the edit dialog; she gets her cancellation', async () => {
    const t = en;
    const li = partnership.organisations.find((o: Json) => o.country === 'CN').contacts[0];
    const raquel = partnership.organisations.find((o: Json) => o.country === 'ES').contacts[0];
    await awaitMessages(li.email, 1);
    const { page, problems } = await session.openPage(READERS.en);
    await signInAt(page, base(), t);
    await page.goto(`${base()}/partnerships/${partnership.id}`);
    const events = page.getByRole('region', { name: t.calendarEvents.title });
    const item = events.getByRole('listitem', { name: /Funding environment seminar/ });
    await item.waitFor();
    await item.getByRole('button', { name: t.calendarEvents.edit }).click();
    const dialog = page.getByRole('dialog', {
      name: t.calendarEvents.editTitle.replace('{{title}}', 'Funding environment seminar'),
    });
    await dialog.waitFor();
    const liBox = dialog.getByRole('checkbox', { name: /李伟/ });
    await expect(liBox.isChecked()).resolves.toBe(true);
    await expect(dialog.getByRole('checkbox', { name: /Raquel/ }).isChecked()).resolves.toBe(true);
    await liBox.uncheck();
    await expectAccessible(page, 'the edit-event dialog with its attendees');
    await dialog.getByRole('button', { name: t.calendarEvents.saveChanges }).click();
    await dialog.waitFor({ state: 'hidden' });
    const attendees = item.getByRole('list', { name: t.calendarEvents.attendees });
    await attendees.getByText('李伟').waitFor({ state: 'detached' });
    const text = await attendees.innerText();
    expect(text).not.toContain('李伟');
    expect(text).toMatch(/Raquel Aguado Muñoz \(Madrid\)\s*No answer yet/);
    const [removal] = await awaitMessages(li.email, 2);
    expect(removal.Subject).toMatch(/^不再受邀：Funding environment seminar/);
    // Raquel stays, and nothing she sees changed: her invitation is all she has.
    expect(await messagesTo(raquel.email)).toHaveLength(1);
    await expectAccessible(page, 'the Events section after the attendee change');
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
    const attendees = item.getByRole('list', { name: t.calendarEvents.attendees });
    expect(await attendees.innerText()).not.toContain('李伟');
    // 09:00 in Madrid on the Chengdu reader's clock (16:00 in winter, 15:00 in summer).
    expect(text).toContain(localTime(slot, 'Asia/Shanghai'));

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
