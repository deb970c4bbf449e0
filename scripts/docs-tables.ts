/**
 * `npm run docs:tables`: the reference tables in docs/ that restate the code, written from it.
 *
 *   docs/configuration.md  configuration     every variable of libs/config's schema: its default
 *                                             and its description (`.describe()` in the schema)
 *   docs/api.md            follow-up-defaults the variables that set a new partnership's policy
 *   docs/api.md            errors            every ErrorCode with its HTTP status (the problem
 *                                             filter's `statusOf`) and its meaning (libs/domain)
 *
 * Each table sits between two marker comments, `<!-- generated:<name> … -->` and
 * `<!-- end generated:<name> -->`; the text around them is written by hand. `--check` writes
 * nothing and exits 1, naming each file that differs from what the code would generate (a jest
 * test, test/docs-tables.spec.ts, runs the same check).
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { configObject, FOLLOW_UP_VARIABLES } from '@libs/config/config.schema';
import { ERROR_CODE_MEANINGS, ErrorCode } from '@libs/domain/errors';
import { INTERNAL_ERROR, statusOf } from '../apps/api/src/platform/problem.filter';
import { syncGeneratedFiles } from './lib/generated-files';

// Built to dist/scripts/docs-tables.js; the files live in the repository either way.
const REPO_ROOT = join(__dirname, __dirname.endsWith(join('dist', 'scripts')) ? '../..' : '..');

/** A table cell: pipes escaped, so a description cannot split its row. */
function cell(value: string): string {
  return value.replace(/\|/g, '\\|');
}

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** The schema under its `.default()`, `.optional()` and `.describe()` wrappers. */
function unwrap(schema: z.ZodTypeAny): z.ZodTypeAny {
  if (schema instanceof z.ZodDefault) return unwrap(schema._def.innerType as z.ZodTypeAny);
  if (schema instanceof z.ZodOptional) return unwrap(schema._def.innerType as z.ZodTypeAny);
  return schema;
}

function defaultOf(schema: z.ZodTypeAny): string {
  if (schema instanceof z.ZodDefault) {
    const value: unknown = schema._def.defaultValue();
    return value === '' ? 'none' : `\`${String(value)}\``;
  }
  return schema.isOptional() ? '—' : '**required**';
}

/** One row per variable, in the schema's order. */
export function configurationTable(shape: z.ZodRawShape = configObject.shape): string {
  const rows = Object.entries(shape).map(([name, schema]) => {
    if (!schema.description) throw new Error(`${name} has no description in the config schema`);
    const inner = unwrap(schema);
    const values =
      inner instanceof z.ZodEnum
        ? ` One of ${(inner.options as string[]).map((v) => `\`${v}\``).join(', ')}.`
        : '';
    return [`\`${name}\``, defaultOf(schema), schema.description + values];
  });
  return table(['variable', 'default', 'meaning'], rows);
}

/** The variables that set the follow-up policy a new partnership starts with. */
export function followUpDefaultsTable(): string {
  const shape: z.ZodRawShape = configObject.shape;
  const rows = Object.entries(FOLLOW_UP_VARIABLES).map(([field, variable]) => [
    `\`${variable}\``,
    defaultOf(shape[variable]),
    `\`${field}\``,
  ]);
  return table(['variable', 'default', 'policy field'], rows);
}

/** Every code by status (the unexpected 500 among them), then in the enum's order. */
export function errorTable(
  meanings: Readonly<Record<ErrorCode, string>> = ERROR_CODE_MEANINGS,
): string {
  const rows = [
    ...Object.values(ErrorCode).map((code) => ({
      code: code as string,
      status: statusOf(code),
      when: meanings[code],
    })),
    {
      code: INTERNAL_ERROR,
      status: 500,
      when: 'unexpected; the response has an `errorId`, the log has the error under the same id, and no stack trace or SQL reaches the client',
    },
  ]
    // Stable: within a status, the enum's order.
    .sort((a, b) => a.status - b.status)
    .map(({ code, status, when }) => [String(status), `\`${code}\``, when]);
  return table(['status', 'code', 'when'], rows);
}

interface GeneratedTable {
  /** Relative to the repository. */
  file: string;
  name: string;
  source: string;
  render: () => string;
}

export const GENERATED_TABLES: readonly GeneratedTable[] = [
  {
    file: 'docs/configuration.md',
    name: 'configuration',
    source: 'libs/config/config.schema.ts',
    render: () => configurationTable(),
  },
  {
    file: 'docs/api.md',
    name: 'follow-up-defaults',
    source: 'libs/config/config.schema.ts',
    render: followUpDefaultsTable,
  },
  {
    file: 'docs/api.md',
    name: 'errors',
    source: 'libs/domain/errors.ts and apps/api/src/platform/problem.filter.ts',
    render: () => errorTable(),
  },
];

/** `text` with the table `name` between its markers replaced by `body`; throws when they are missing. */
export function replaceTable(
  text: string,
  file: string,
  generated: Pick<GeneratedTable, 'name' | 'source'>,
  body: string,
): string {
  const begin = new RegExp(`<!-- generated:${generated.name}\\b[^>]*-->\\n`);
  const end = `<!-- end generated:${generated.name} -->`;
  const start = begin.exec(text);
  const stop = text.indexOf(end);
  if (!start || stop < start.index) {
    throw new Error(
      `${file}: no <!-- generated:${generated.name} --> … ${end} markers around the table`,
    );
  }
  const head = `<!-- generated:${generated.name}: npm run docs:tables writes this table from ${generated.source}; edit it there -->\n`;
  return text.slice(0, start.index) + head + body + '\n' + text.slice(stop);
}

/** Every file with generated tables, as the code would write it now (`read` gives its text). */
export function generateDocs(
  read: (file: string) => string = (file) => readFileSync(join(REPO_ROOT, file), 'utf8'),
): Map<string, string> {
  const files = new Map<string, string>();
  for (const generated of GENERATED_TABLES) {
    const text = files.get(generated.file) ?? read(generated.file);
    files.set(generated.file, replaceTable(text, generated.file, generated, generated.render()));
  }
  return files;
}

function main(): void {
  const files = new Map([...generateDocs()].map(([file, text]) => [join(REPO_ROOT, file), text]));
  syncGeneratedFiles(files, {
    check: process.argv.includes('--check'),
    shown: (path) => relative(REPO_ROOT, path),
    drift: (stale) =>
      `Docs drift: the generated tables of ${stale.join(', ')} differ from the code. ` +
      'Run npm run docs:tables and commit the result.',
    matches: 'the generated docs tables match the code',
    upToDate: 'the generated docs tables are up to date',
  });
}

if (require.main === module) {
  try {
    main();
  } catch (err: unknown) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
