import { ESLint } from 'eslint';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * SQL lives in one place per table family (libs/db/repositories/): the lint rule that keeps it
 * there must fire elsewhere, stay quiet where SQL belongs, and find nothing in the tree today.
 */
describe('SQL-in-repositories lint rule', () => {
  const root = join(__dirname, '..');
  // The project's config object itself (ESLint's own file loader needs ESM dynamic import).
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: require('../eslint.config.js'),
  });
  const RULES = new Set(['no-restricted-syntax', 'no-restricted-imports']);

  function sqlMessages(results: ESLint.LintResult[]): string[] {
    return results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId && RULES.has(m.ruleId) && /libs\/db\/repositories/.test(m.message))
        .map((m) => `${r.filePath.slice(root.length + 1)}:${m.line} ${m.message}`),
    );
  }

  async function messagesFor(path: string, code: string): Promise<string[]> {
    return sqlMessages(await eslint.lintText(code, { filePath: join(root, path) }));
  }

  /** A statement inside a function, so that `await` and the names parse. */
  const inFunction = (statement: string): string =>
    `export async function probe(...a: any[]): Promise<void> {\n  const [dataSource, tx, m, repo, client, row, id, handle, getLiveStateQuery] = a;\n  ${statement}\n}\n`;

  it.each([
    "await dataSource.query('SELECT 1');",
    'await tx.query(`UPDATE partnerships SET title = $2 WHERE id = $1`, [id, row]);',
    "await client.query('LISTEN partnership_events');",
    'const query = tx.query.bind(tx); await query(`INSERT INTO notifications (key) VALUES ($1)`, [id]);',
    "await repo.createQueryBuilder('o').getMany();",
    'await dataSource.getRepository(row).findOneBy({ id });',
    'await m.findOne(UserEntity, { where: { id } });',
    'await m.update(RefreshTokenEntity, { id }, { usedAt: new Date() });',
    'await tx.save(row);',
    'await dataSource.manager.delete(row, { id });',
  ])('forbids `%s` in a service', async (statement) => {
    expect(
      await messagesFor('apps/api/src/probe/probe.service.ts', inFunction(statement)),
    ).toHaveLength(1);
  });

  it.each([
    "import { Repository } from 'typeorm';",
    "import { In, IsNull } from 'typeorm';",
    "import { InjectRepository } from '@nestjs/typeorm';",
  ])('forbids `%s` in an activity', async (line) => {
    const messages = await messagesFor(
      'apps/worker/src/probe/probe.activities.ts',
      `${line}\nexport const x = 1;\n`,
    );
    expect(messages.length).toBeGreaterThanOrEqual(1);
  });

  it.each([
    'await handle.query(getLiveStateQuery);',
    'await dataSource.transaction(async (t: unknown) => repo.set(t, id));',
    'await repo.find(id);',
    'row.delete(id);',
  ])('allows `%s` in a service', async (statement) => {
    expect(await messagesFor('apps/api/src/probe/probe.service.ts', inFunction(statement))).toEqual(
      [],
    );
  });

  it("allows importing what a caller needs to compose a transaction: `import { DataSource, EntityManager } from 'typeorm'`", async () => {
    const code =
      "import { DataSource, EntityManager } from 'typeorm';\nexport type X = [DataSource, EntityManager];\n";
    expect(await messagesFor('apps/api/src/probe/probe.service.ts', code)).toEqual([]);
  });

  it.each([
    'libs/db/repositories/probe.repository.ts',
    'libs/db/migrations/1799999999999-Probe.ts',
    'scripts/probe.ts',
    'bench/probe.ts',
    'test/integration/probe.spec.ts',
  ])('allows SQL in %s', async (path) => {
    const code =
      "import { In, Repository } from 'typeorm';\nexport type R = Repository<object>;\nexport const i = In;\n" +
      inFunction(
        "await dataSource.query('SELECT 1'); await repo.createQueryBuilder('o').getMany();",
      );
    expect(await messagesFor(path, code)).toEqual([]);
  });

  it('finds no SQL outside libs/db/repositories in apps/ and libs/', async () => {
    // Read and linted one by one: ESLint's own file search needs ESM dynamic import under jest.
    const files = ['apps', 'libs'].flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(dir, f)),
    );
    expect(files.length).toBeGreaterThan(100);
    const results = await Promise.all(
      files.map((f) =>
        eslint.lintText(readFileSync(join(root, f), 'utf8'), { filePath: join(root, f) }),
      ),
    );
    expect(sqlMessages(results.flat())).toEqual([]);
  });
});
