import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDataSource, runMigrationsLocked } from '@libs/db';
import { createDatabaseIfMissing, adminUrlOf, dropDatabase } from './lib/postgres';
import { withDatabase } from './lib/database-url';

const MIGRATIONS_DIR = join(__dirname, '..', '..', 'libs', 'db', 'migrations');

/**
 * `npm run db:migration:generate -- Name` writes a migration for the difference between the
 * entities and the schema the checked-in migrations produce, on a scratch database.
 * `--check` writes nothing and fails when there is a difference (schema drift).
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const name = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'Migration';
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name))
    throw new Error('migration name must be PascalCase letters and digits');
  await withDatabase(async (url) => {
    const scratch = `entente_drift_${process.pid}`;
    await createDatabaseIfMissing(adminUrlOf(url), scratch);
    const scratchUrl = new URL(url);
    scratchUrl.pathname = `/${scratch}`;
    const dataSource = createDataSource(scratchUrl.toString());
    try {
      await dataSource.initialize();
      await runMigrationsLocked(dataSource);
      const sql = await dataSource.driver.createSchemaBuilder().log();
      await dataSource.destroy();
      if (sql.upQueries.length === 0) {
        console.log('no schema changes: the migrations match the entities');
        return;
      }
      if (check) {
        console.error(
          'schema drift: the entities differ from the migrations. Run npm run db:migration:generate -- Name',
        );
        for (const q of sql.upQueries) console.error(`  ${q.query}`);
        process.exitCode = 1;
        return;
      }
      const timestamp = Date.now();
      const className = `${name}${timestamp}`;
      const q = (s: string): string => '`' + s.replace(/`/g, '\\`') + '`';
      const up = sql.upQueries.map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
      const down = sql.downQueries
        .reverse()
        .map((x) => `    await queryRunner.query(${q(x.query)});`)
        .join('\n');
      const file = join(MIGRATIONS_DIR, `${timestamp}-${name}.ts`);
      writeFileSync(
        file,
        `import { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
      );
      const index = join(MIGRATIONS_DIR, 'index.ts');
      if (existsSync(index)) {
        const text = readFileSync(index, 'utf8');
        const imported = `import { ${className} } from './${timestamp}-${name}';\n`;
        const updated = (imported + text).replace(
          /export const migrations = \[([^\]]*)\];/,
          (_m, list: string) => {
            const items = list
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean);
            items.push(className);
            return `export const migrations = [${items.join(', ')}];`;
          },
        );
        writeFileSync(index, updated);
      }
      console.log(`wrote ${file}`);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropDatabase(adminUrlOf(url), scratch);
    }
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
