import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type ScheduleDescription,
  type ScheduleOptions,
} from '@temporalio/client';

/** What the worker did with a Schedule at start. */
export type ScheduleChange = 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent';

/**
 * Makes a Schedule match the configuration: creates `wanted`, corrects the one there when
 * `matches` says it differs, or deletes it (`wanted` is `off`). Safe to run from every worker at
 * every start: two workers starting at once both end with the one Schedule.
 */
export async function ensureSchedule(
  client: Client,
  scheduleId: string,
  wanted: ScheduleOptions | 'off',
  matches: (current: ScheduleDescription) => boolean,
): Promise<ScheduleChange> {
  const handle = client.schedule.getHandle(scheduleId);
  if (wanted === 'off') {
    try {
      await handle.delete();
      return 'deleted';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'absent';
      throw err;
    }
  }
  try {
    await client.schedule.create(wanted);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  if (matches(await handle.describe())) return 'unchanged';
  await handle.update((previous) => ({
    ...previous,
    spec: wanted.spec,
    action: wanted.action,
    policies: { ...previous.policies, ...wanted.policies },
  }));
  return 'updated';
}
