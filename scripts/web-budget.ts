import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * `npm run web:budget`: the JavaScript a browser must download before the app's first screen —
 * the entry script and every chunk index.html preloads, gzipped as the API serves them — against
 * the budget of 250 KB. Lazy pages (forms, admin) are left out: they load when opened. Exits 1
 * over budget, naming each file's share.
 */
export const INITIAL_JS_BUDGET_BYTES = 250 * 1024;

export interface BudgetReport {
  files: { name: string; bytes: number; gzipped: number }[];
  gzippedTotal: number;
  withinBudget: boolean;
}

export function initialJavaScript(webDir: string): BudgetReport {
  const html = readFileSync(join(webDir, 'index.html'), 'utf8');
  const names = new Set<string>();
  for (const m of html.matchAll(/<script[^>]+src="\/(assets\/[^"]+\.js)"/g)) names.add(m[1]);
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/(assets\/[^"]+\.js)"/g))
    names.add(m[1]);
  if (names.size === 0) throw new Error(`no script in ${webDir}/index.html: is the app built?`);
  const files = [...names].map((name) => {
    const body = readFileSync(join(webDir, name));
    return { name, bytes: body.length, gzipped: gzipSync(body, { level: 9 }).length };
  });
  const gzippedTotal = files.reduce((sum, f) => sum + f.gzipped, 0);
  return { files, gzippedTotal, withinBudget: gzippedTotal <= INITIAL_JS_BUDGET_BYTES };
}

function main(): void {
  const report = initialJavaScript(join(__dirname, '..', 'web'));
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
  for (const f of report.files)
    console.log(`  ${f.name}: ${kb(f.bytes)}, ${kb(f.gzipped)} gzipped`);
  console.log(
    `initial JavaScript: ${kb(report.gzippedTotal)} gzipped (budget ${kb(INITIAL_JS_BUDGET_BYTES)})`,
  );
  if (!report.withinBudget) {
    console.error('over budget: lazy-load a page or drop a dependency');
    process.exit(1);
  }
}

if (require.main === module) main();
