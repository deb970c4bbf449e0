import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

const ROOT = join(__dirname, '..');
/**
 * Outside the workflow bundle: these import libs/ and workflows/ through @libs/* and @workflows/*
 * (a test's bundle entry, *.workflows.ts, stays relative: webpack builds it like workflows/).
 */
const ALIASED = ['apps', 'scripts', 'test', 'bench'];
const IMPORT =
  /(?:^|\n)\s*(?:import|export)[^'"`;]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The import specifiers of a file that break the rule, with why. */
export function badImports(file: string, text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2];
    if (spec.includes('../../../../')) found.push(`${spec}: climbs four directories`);
    // A test's workflow bundle entry (*.workflows.ts) is built by webpack, like workflows/.
    const inAliased =
      ALIASED.includes(relative(ROOT, file).split(sep)[0]) && !file.endsWith('.workflows.ts');
    if (inAliased && spec.startsWith('.')) {
      const top = relative(ROOT, normalize(join(dirname(file), spec))).split(sep)[0];
      if (top === 'libs' || top === 'workflows') found.push(`${spec}: use @${top}/…`);
    }
  }
  return found;
}

describe('import paths', () => {
  it('apps, scripts, tests and benchmarks reach libs/ and workflows/ through their aliases', () => {
    const offending = ['apps', 'libs', 'workflows', 'scripts', 'test', 'bench', 'web/src']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .flatMap((file) =>
        badImports(file, readFileSync(file, 'utf8')).map(
          (why) => `${relative(ROOT, file)}: ${why}`,
        ),
      );
    expect(offending).toEqual([]);
  });

  it('finds a relative climb into libs/ and a four-level climb (the check above can fail)', () => {
    const file = join(ROOT, 'apps/api/src/partnerships/x.ts');
    expect(badImports(file, "import { a } from '../../../../libs/domain';\n")).toEqual([
      '../../../../libs/domain: climbs four directories',
      '../../../../libs/domain: use @libs/…',
    ]);
    expect(
      badImports(file, "import { a } from '@libs/domain';\nimport { b } from './b';\n"),
    ).toEqual([]);
  });
});
