import { calendarSnapshot, Closure } from '@libs/calendars';
import { nextFollowUp, ReminderPolicy } from '@libs/domain';

type Json = Record<string, any>;

/** The local date (YYYY-MM-DD) of an instant in `timeZone`. */
export const localDate = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(iso));

/**
 * What the domain rule says the first reminder of an approval request is for the first contact
 * of `organisation` (as the API gave them), in its calendar with the organisation's `own` closures.
 */
export function expectedFirstReminder(
  partnership: Json,
  approval: Json,
  organisation: Json,
  own: Closure[],
): string {
  const contact = organisation.contacts[0];
  return nextFollowUp({
    since: new Date(approval.requestedAt),
    policy: partnership.followUpPolicy.approvals as ReminderPolicy,
    timeZone: contact.timeZone,
    hours: contact.workingHours,
    progress: { sent: 0, lastAt: null },
    notBefore: null,
    now: new Date(approval.requestedAt),
    calendar: calendarSnapshot(
      { country: organisation.country, region: organisation.region, closures: own },
      new Date(),
    ),
  })!.at.toISOString();
}
