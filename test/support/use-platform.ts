import type { DataSource } from 'typeorm';
import {
  calendarRefreshSources,
  createDataSource,
  OrganisationsRepository,
  PartnershipsRepository,
} from '@libs/db';
import { Platform, requireEnv, startPlatform } from './stack';

/**
 * One platform (see startPlatform) for the describe block this is called in: started before its
 * tests, stopped after them. `started` receives it once it runs, so that a spec keeps its own
 * `api`, `pool` and `client`.
 */
export function usePlatform(
  started: (platform: Platform) => void,
  apiEnv: Record<string, string> = {},
  workerEnv: Record<string, string> = {},
): void {
  let platform: Platform | undefined;

  beforeAll(async () => {
    platform = await startPlatform(apiEnv, workerEnv);
    started(platform);
  });

  afterAll(async () => {
    await platform?.stop();
  });
}

/**
 * What the working-calendars refresh reads (libs/db `calendarRefreshSources`) over the test
 * database, for the describe block this is called in (a DataSource of two connections, opened
 * before its tests and closed after them).
 */
export function useCalendarSources(): () => ReturnType<typeof calendarRefreshSources> {
  let db: DataSource | undefined;
  beforeAll(async () => {
    db = await createDataSource(requireEnv('TEST_DATABASE_URL'), 2).initialize();
  });
  afterAll(async () => {
    await db?.destroy();
  });
  return () => {
    if (!db) throw new Error('the database is not open yet (use it inside a test)');
    return calendarRefreshSources(new PartnershipsRepository(db), new OrganisationsRepository(db));
  };
}
