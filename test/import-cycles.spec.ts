import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The part of madge's API this test uses (the package ships no types). */
type Madge = (
  paths: string | string[],
  config: { baseDir?: string; fileExtensions?: string[]; tsConfig?: string },
) => Promise<{ circular(): string[][] }>;
const madge = require('madge') as Madge;

const ROOT = join(__dirname, '..');

/**
 * A cycle TypeORM needs: two entities whose relations name each other (`@ManyToOne(() => X)` on
 * one side, `@OneToMany(() => Y)` on the other). Every other cycle is a defect.
 */
function isEntityPair(cycle: string[]): boolean {
  return cycle.every((file) => /^libs\/db\/entities\/[\w-]+\.entity\.ts$/.test(file));
}

async function cyclesIn(paths: string[], tsConfig: string, extensions: string[]) {
  const graph = await madge(
    paths.map((p) => join(ROOT, p)),
    { baseDir: ROOT, fileExtensions: extensions, tsConfig: join(ROOT, tsConfig) },
  );
  return graph.circular();
}

describe('the import graph', () => {
  it('has no cycle, the TypeORM entity pairs aside', async () => {
    const server = await cyclesIn(
      ['apps', 'libs', 'workflows', 'scripts', 'bench', 'test'],
      'tsconfig.json',
      ['ts'],
    );
    const web = await cyclesIn(['web/src'], 'web/tsconfig.json', ['ts', 'tsx']);
    expect([...server, ...web].filter((cycle) => !isEntityPair(cycle))).toEqual([]);
  });

  it('finds a cycle when there is one (the check above can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'entente-cycle-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
      writeFileSync(
        join(dir, 'b.ts'),
        "import type { a } from './a';\nexport const b = (x?: typeof a) => x;\n",
      );
      const graph = await madge([dir], { baseDir: dir, fileExtensions: ['ts'] });
      expect(graph.circular()).toEqual([['a.ts', 'b.ts']]);
      // And the entity-pair exception covers entities only.
      expect(
        isEntityPair([
          'libs/db/entities/contact.entity.ts',
          'libs/db/entities/organisation.entity.ts',
        ]),
      ).toBe(true);
      expect(
        isEntityPair(['apps/worker/src/a.activities.ts', 'libs/db/entities/contact.entity.ts']),
      ).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
