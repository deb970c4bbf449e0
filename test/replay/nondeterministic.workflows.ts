// Workflow bundle of the replay suite's negative control: the partnership, event, calendar-refresh and weekly-digest workflows as they are, but
// with one command issued before any of its own (a one-millisecond timer). A replay of any saved
// history through it must fail with a determinism violation; if it did not, the replay suite
// could not catch a reordered command either.
import { sleep } from '@temporalio/workflow';
import { calendarEventWorkflow as realCalendarEventWorkflow } from '../../workflows/calendar-events/calendar-event.workflow';
import { calendarRefreshWorkflow as realCalendarRefreshWorkflow } from '../../workflows/calendars/calendar-refresh.workflow';
import { weeklyDigestWorkflow as realWeeklyDigestWorkflow } from '../../workflows/digest/weekly-digest.workflow';
import { partnershipWorkflow as realPartnershipWorkflow } from '../../workflows/partnership/partnership.workflow';

export async function partnershipWorkflow(
  ...args: Parameters<typeof realPartnershipWorkflow>
): ReturnType<typeof realPartnershipWorkflow> {
  await sleep(1);
  return realPartnershipWorkflow(...args);
}

export async function calendarEventWorkflow(
  ...args: Parameters<typeof realCalendarEventWorkflow>
): ReturnType<typeof realCalendarEventWorkflow> {
  await sleep(1);
  return realCalendarEventWorkflow(...args);
}

export async function calendarRefreshWorkflow(
  ...args: Parameters<typeof realCalendarRefreshWorkflow>
): ReturnType<typeof realCalendarRefreshWorkflow> {
  await sleep(1);
  return realCalendarRefreshWorkflow(...args);
}

export async function weeklyDigestWorkflow(
  ...args: Parameters<typeof realWeeklyDigestWorkflow>
): ReturnType<typeof realWeeklyDigestWorkflow> {
  await sleep(1);
  return realWeeklyDigestWorkflow(...args);
}
