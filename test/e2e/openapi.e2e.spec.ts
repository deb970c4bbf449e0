import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { canonicalJson } from '../../apps/api/src/platform/canonical-json';
import { http, RunningApi, startApi } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'dist', 'scripts', 'api-client.js');
const WEB_API = join(ROOT, 'web', 'src', 'api');
const run = promisify(execFile);

/** Runs `npm run api:client`'s script (compiled, as npm runs it): its exit code and output. */
async function apiClient(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT, ...args], {
      cwd: ROOT,
      timeout: 60_000,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout}${e.stderr}` };
  }
}

/**
 * The web app's generated client against the API: the committed web/src/api files are what the
 * code generates (the drift check CI runs), and the document in them is the one the API serves.
 */
describe('the OpenAPI document and the generated web client', () => {
  let api: RunningApi;
  let copy: string;

  beforeAll(async () => {
    api = await startApi();
    copy = mkdtempSync(join(tmpdir(), 'entente-api-client-'));
  });

  afterAll(async () => {
    await api?.process.stop();
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  it('has web/src/api/openapi.json and schema.d.ts as the code generates them (npm run api:client -- --check)', async () => {
    const result = await apiClient('--check');
    expect(result).toEqual({ code: 0, output: 'the API client matches the OpenAPI document\n' });
  }, 90_000);

  it('names the file that drifted, and fixes it when run without --check', async () => {
    for (const file of ['openapi.json', 'schema.d.ts']) {
      copyFileSync(join(WEB_API, file), join(copy, file));
    }
    const types = join(copy, 'schema.d.ts');
    writeFileSync(types, readFileSync(types, 'utf8').replace('daysInStage', 'daysInStag'));
    const drift = await apiClient('--check', '--out', copy);
    expect(drift.code).toBe(1);
    expect(drift.output).toContain(`API client drift: ${types} differs`);
    expect((await apiClient('--out', copy)).output).toBe(`wrote ${types}\n`);
    expect(readFileSync(types, 'utf8')).toBe(readFileSync(join(WEB_API, 'schema.d.ts'), 'utf8'));
    expect(await apiClient('--check', '--out', copy)).toMatchObject({ code: 0 });
  }, 120_000);

  it('serves at /api/docs-json the same document, built with the database and Temporal', async () => {
    const served = await http('GET', `${api.url}/api/docs-json`, undefined, {}, { token: null });
    expect(served.status).toBe(200);
    const committed: unknown = JSON.parse(readFileSync(join(WEB_API, 'openapi.json'), 'utf8'));
    expect(JSON.parse(canonicalJson(served.body))).toEqual(committed);
  });
});
