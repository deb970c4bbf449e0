import { calendarSnapshot } from '@libs/calendars';
import {
  addWorkingDuration,
  DEFAULT_WORKING_HOURS,
  isWorkingDate,
  WorkingCalendar,
  WorkingHours,
} from '@libs/domain';
import { foundingCaseRequest } from '../support/fixtures';
import { http, Platform } from '../support/stack';
import { usePlatform } from '../support/use-platform';

type Json = Record<string, any>;
const DAY_MS = 86_400_000;
/** The longest first reminder a request may ask for: 100 working days. */
const MAX_MINUTES = 54_000;

const localDate = (at: Date, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);
const isoWeekday = (date: string): number =>
  ((new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;

/**
 * The first public holiday ahead (today excluded) that falls on a day the contact would work by
 * their weekly hours, within the snapshot, with working minutes from `now` that by the weekly
 * hours alone land inside it: a request with that first reminder, made now, is made "just
 * before the holiday".
 */
function nextHoliday(
  calendar: WorkingCalendar,
  timeZone: string,
  hours: WorkingHours,
  now: Date,
): { date: string; minutes: number } | undefined {
  const today = localDate(now, timeZone);
  const day = calendar.offDays
    .filter(
      (d) => d.kind !== 'closure' && d.date > today && hours.days.includes(isoWeekday(d.date)),
    )
    .sort((a, b) => a.date.localeCompare(b.date))[0];
  if (!day) return undefined;
  // The least working minutes, by the weekly hours alone, that reach the holiday; two working
  // hours more put the reminder well inside it.
  const reaches = (minutes: number) =>
    localDate(addWorkingDuration(now, minutes, timeZone, hours), timeZone) >= day.date;
  let [low, high] = [1, MAX_MINUTES - 120];
  if (!reaches(high)) return undefined;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (reaches(mid)) high = mid;
    else low = mid + 1;
  }
  return { date: day.date, minutes: low + 120 };
}

/**
 * A request made just before a holiday plans its first reminder after it, in the recipient's own
 * zone and calendar, read back through the follow-ups API, everything real: Raquel in Valencia
 * before Spain's next holiday, 李伟 in Chengdu before China's (when the installed data has one
 * ahead: chinese-days ends with 2026 until its 2027 release, see docs/calendars.md).
 */
describe('a request just before a holiday (end to end)', () => {
  let platform: Platform;
  usePlatform((p) => (platform = p));
  const url = (path: string): string => `${platform.api.url}/api/v1${path}`;

  // Spain's holidays come from rules, China's from the State Council's yearly arrangement, which
  // the installed chinese-days may not have yet for the days ahead: then there is nothing to plan
  // around, and the Chinese case is skipped (visibly) until its data update.
  const chinaAhead = nextHoliday(
    calendarSnapshot({ country: 'CN', region: 'Sichuan' }, new Date()),
    'Asia/Shanghai',
    DEFAULT_WORKING_HOURS,
    new Date(),
  );
  const cases: [string, string, boolean][] = [
    ['ES', 'Europe/Madrid', true],
    ['CN', 'Asia/Shanghai', chinaAhead !== undefined],
  ];
  for (const [country, zone, hasData] of cases) {
    (hasData ? it : it.skip)(
      `in ${country} (${zone}): the first reminder comes on the first working day after the holiday`,
      () => beforeTheHoliday(country, zone),
    );
  }

  async function beforeTheHoliday(country: string, zone: string): Promise<void> {
    const created = await http('POST', url('/partnerships'), foundingCaseRequest());
    expect(created.status).toBe(201);
    const organisation = (created.body.organisations as Json[]).find((o) => o.country === country)!;
    const contact = organisation.contacts[0];
    expect(contact.timeZone).toBe(zone);
    const hours: WorkingHours = contact.workingHours ?? DEFAULT_WORKING_HOURS;
    const calendar = calendarSnapshot(
      { country: organisation.country, region: organisation.region },
      new Date(),
    );
    const holiday = nextHoliday(calendar, zone, hours, new Date());
    if (!holiday) throw new Error(`no holiday ahead in ${country}'s calendar`);
    const asked = await http('POST', url(`/partnerships/${created.body.id}/approvals`), {
      subject: { kind: 'document', title: 'Cooperation agreement' },
      deadline: new Date(Date.now() + 200 * DAY_MS).toISOString(),
      organisations: [
        {
          organisationId: organisation.id,
          rule: { kind: 'all' },
          approverContactIds: [contact.id],
        },
      ],
      reminderPolicy: {
        firstAfterWorkingMinutes: holiday.minutes,
        repeatEveryWorkingMinutes: 540,
        maxReminders: 1,
        escalate: false,
      },
    });
    expect(asked.status).toBe(201);
    const plan = await http('GET', url(`/partnerships/${created.body.id}/follow-ups`));
    const first = (plan.body.planned as Json[]).find(
      (p) => p.kind === 'approval-reminder' && p.approvalId === asked.body.id,
    );
    expect(first).toBeDefined();
    const at = new Date(first!.at);
    const requestedAt = new Date(asked.body.requestedAt);
    // By the weekly hours alone it would land on the holiday; it lands after it, on the first
    // working day in the recipient's calendar, as the domain rule says.
    expect(localDate(addWorkingDuration(requestedAt, holiday.minutes, zone, hours), zone)).toBe(
      holiday.date,
    );
    expect(at.toISOString()).toBe(
      addWorkingDuration(requestedAt, holiday.minutes, zone, hours, calendar).toISOString(),
    );
    const landed = localDate(at, zone);
    expect(landed > holiday.date).toBe(true);
    expect(isWorkingDate(landed, isoWeekday(landed), hours.days, calendar)).toBe(true);
  }
});
