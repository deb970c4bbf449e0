/**
 * `npm run calendars:refresh`: after a holiday-data update (docs/calendars.md), gives every
 * partnership that has not ended its organisations' working calendars again, so that pending
 * follow-ups are planned in the new data. Uses the API's configuration (DATABASE_URL, TEMPORAL_*);
 * run it against the running platform. Prints what it updated and what it could not reach (run it
 * again for those: a second run on the same day applies nothing twice), and exits 1 if any failed.
 */
import { Client, Connection } from '@temporalio/client';
import { refreshWorkingCalendars } from '@libs/calendars';
import { loadConfig } from '@libs/config';
import {
  calendarRefreshSources,
  createDataSource,
  OrganisationsRepository,
  PartnershipsRepository,
} from '@libs/db';
import { temporalConnectionSettings } from '@libs/temporal';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await createDataSource(config.DATABASE_URL, 2).initialize();
  const connection = await Connection.connect(temporalConnectionSettings(config));
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    const { updated, failed } = await refreshWorkingCalendars(
      calendarRefreshSources(new PartnershipsRepository(db), new OrganisationsRepository(db)),
      client,
      new Date(),
    );
    console.log(`working calendars refreshed for ${updated.length} partnership(s)`);
    for (const f of failed) console.log(`not refreshed: ${f.partnershipId}: ${f.error}`);
    if (failed.length > 0) process.exitCode = 1;
  } finally {
    await connection.close();
    await db.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
