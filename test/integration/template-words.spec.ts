import { Pool } from 'pg';
import { DEFAULT_TEMPLATE_TASK_IDS, TEMPLATE_TASK_TITLES } from '@libs/domain';
import { requireEnv } from '../support/stack';

/**
 * The catalog recognises a template task that was not renamed by its seeded English title, so the
 * catalog's English must be exactly what the migrations seeded, for every task of the template.
 */
describe('default template words (against the migrated database)', () => {
  let pool: Pool;

  beforeAll(() => {
    pool = new Pool({ connectionString: requireEnv('TEST_DATABASE_URL'), max: 1 });
  });

  afterAll(async () => {
    await pool?.end();
  });

  it.each([1, 2])(
    'has the seeded English title of every task of default template version %i, and no other task',
    async (version) => {
      const { rows } = await pool.query<{ id: string; title: string }>(
        `SELECT stage || '.' || key AS id, title FROM stage_template_tasks
          WHERE template_key = 'default' AND version = $1 ORDER BY stage, position`,
        [version],
      );
      expect(Object.fromEntries(rows.map((r) => [r.id, r.title]))).toEqual(TEMPLATE_TASK_TITLES.en);
      expect(rows.map((r) => r.id).sort()).toEqual([...DEFAULT_TEMPLATE_TASK_IDS].sort());
    },
  );
});
