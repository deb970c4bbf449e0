/**
 * The docs' tables that restate the code (configuration, error codes, follow-up defaults) are what
 * `npm run docs:tables` writes from it, and the generator really reads the code: a variable or a
 * code it did not know shows up, and a hand edit between the markers is undone.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { configObject } from '@libs/config/config.schema';
import { ERROR_CODE_MEANINGS, ErrorCode } from '@libs/domain';
import { statusOf } from '../apps/api/src/platform/problem.filter';
import {
  configurationTable,
  errorTable,
  GENERATED_TABLES,
  generateDocs,
  replaceTable,
} from '../scripts/docs-tables';

const ROOT = join(__dirname, '..');
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

describe('the generated docs tables', () => {
  it.each([...new Set(GENERATED_TABLES.map((t) => t.file))])(
    '%s is what npm run docs:tables writes from the code',
    (file) => {
      // On failure: run `npm run docs:tables` and commit the result.
      expect(read(file)).toBe(generateDocs().get(file));
    },
  );

  it('list every variable of the config schema, with its default and description', () => {
    const docs = read('docs/configuration.md');
    for (const [name, schema] of Object.entries(configObject.shape)) {
      const row = docs.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row).toContain(schema.description);
    }
    expect(docs).toContain('| `API_PORT` | `3000` | Where the API listens. |');
    expect(docs).toContain('| `DATABASE_URL` | **required** |');
    expect(docs).toContain('| `PUBLIC_BASE_URL` | — |');
  });

  it('list every error code with the status the problem filter gives it', () => {
    const docs = read('docs/api.md');
    for (const code of Object.values(ErrorCode)) {
      expect(docs).toContain(`| ${statusOf(code)} | \`${code}\` | ${ERROR_CODE_MEANINGS[code]} |`);
    }
    expect(docs).toContain('| 409 | `GATE_CONSENT_MISSING` |');
    expect(docs).toContain('| 500 | `INTERNAL_ERROR` |');
  });

  it('follow the schema: a new variable or description appears in the table', () => {
    const shape = {
      ...configObject.shape,
      SOME_NEW_SETTING: z.coerce.number().default(7).describe('What it sets.'),
    };
    expect(configurationTable(shape)).toContain('| `SOME_NEW_SETTING` | `7` | What it sets. |');
    expect(() =>
      configurationTable({ ...configObject.shape, UNDESCRIBED: z.string().optional() }),
    ).toThrow(/UNDESCRIBED has no description/);
  });

  it('follow the error-code map: a changed meaning appears in the table', () => {
    const table = errorTable({ ...ERROR_CODE_MEANINGS, EMAIL_TAKEN: 'someone has it' });
    expect(table).toContain('| 409 | `EMAIL_TAKEN` | someone has it |');
  });

  it('undo a hand edit between the markers, and keep the text around them', () => {
    const original = read('docs/api.md');
    const edited = original.replace(/^\| 409 \| `GATE_CONSENT_MISSING` \|.*\n/m, '');
    expect(edited).not.toBe(original);
    const regenerated = generateDocs((file) => (file === 'docs/api.md' ? edited : read(file)));
    expect(regenerated.get('docs/api.md')).toBe(original);
  });

  it('refuse a file whose markers are missing, naming it', () => {
    const errors = GENERATED_TABLES.find((t) => t.name === 'errors')!;
    expect(() => replaceTable('# API\n\n| status |\n', 'docs/api.md', errors, '| x |')).toThrow(
      /docs\/api\.md: no <!-- generated:errors -->/,
    );
  });
});
