import { createDataSource, runMigrationsLocked } from '@libs/db';
import { withDatabase } from './lib/database-url';

/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
async function main(): Promise<void> {
  await withDatabase(async (url) => {
    const dataSource = createDataSource(url);
    await dataSource.initialize();
    try {
      const applied = await runMigrationsLocked(dataSource);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    } finally {
      await dataSource.destroy();
    }
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
