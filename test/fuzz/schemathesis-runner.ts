import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs schemathesis 4 (scripts/lib/schemathesis.ts installs it) against the API's OpenAPI
 * document and reads back what it did: the JSON run report for the totals, and the NDJSON event
 * log for every case (phase, generation mode, method, path, status, failed checks).
 */

export type Mode = 'positive' | 'negative' | 'all';
export type Phase = 'examples' | 'coverage' | 'fuzzing' | 'stateful';

/** An operation left out of a run, by its schemathesis name (`METHOD /path`), with why. */
export interface Exclusion {
  name: string;
  reason: string;
}

export interface FuzzRunOptions {
  /** The `st` executable (TEST_SCHEMATHESIS). */
  st: string;
  /** Where the OpenAPI document is served. */
  schemaUrl: string;
  /** Scratch directory: config, reports, and schemathesis's working directory. */
  workDir: string;
  name: string;
  headers: Record<string, string>;
  mode: Mode;
  phases: Phase[];
  /** Generated cases per operation and phase (schemathesis `--max-examples`). */
  maxExamples: number;
  checks: string[];
  exclude: Exclusion[];
  /** When given, only these operations (schemathesis names) are tested. */
  include?: string[];
  /** A schemathesis hooks file (SCHEMATHESIS_HOOKS), e.g. to filter cases. */
  hooks?: string;
  /** Named value lists, bound to parameters through `parameters`. */
  dictionaries: Record<string, (string | number)[]>;
  /** `path.id`, `body.url`, … → the dictionary to draw from, and how often. */
  parameters: Record<string, { dictionary: string; probability: number }>;
  /**
   * Fixed values of some operations' parameters (`path.id` → value), over `parameters`: for an
   * operation whose valid cases need several ids that belong together (an event of a partnership).
   */
  operations?: { name: string; parameters: Record<string, string> }[];
  requestTimeoutSeconds: number;
  timeoutMs: number;
}

export interface FuzzCase {
  phase: string;
  mode: string;
  operation: string;
  method: string;
  uri: string;
  status?: number;
  requestBody?: string;
  responseBody?: string;
  failedChecks: string[];
}

export interface FuzzRun {
  exitCode: number;
  output: string;
  /** schemathesis's JSON run report. */
  report: {
    test_cases: { generated: number; with_failures: number; errored: number };
    operations: { selected: number; tested: number; errored: number; skipped: number };
    failures: { code: string; title: string; count: number; operations: string[] }[];
    errors: unknown[];
    warnings: Record<string, string[]>;
    [key: string]: unknown;
  };
  cases: FuzzCase[];
}

/** TOML for strings: JSON strings are valid TOML basic strings. */
const q = (s: string): string => JSON.stringify(s);

function configToml(options: FuzzRunOptions): string {
  const lines = ['# written by test/fuzz/schemathesis-runner.ts', '[parameters]'];
  for (const [key, binding] of Object.entries(options.parameters)) {
    lines.push(
      `${q(key)} = { dictionary = ${q(binding.dictionary)}, probability = ${binding.probability} }`,
    );
  }
  for (const [name, values] of Object.entries(options.dictionaries)) {
    lines.push('', `[dictionaries.${q(name)}]`);
    lines.push(
      `values = [${values.map((v) => (typeof v === 'string' ? q(v) : String(v))).join(', ')}]`,
    );
  }
  for (const operation of options.operations ?? []) {
    const fixed = Object.entries(operation.parameters).map(([k, v]) => `${q(k)} = ${q(v)}`);
    lines.push('', '[[operations]]', `include-name = ${q(operation.name)}`);
    lines.push(`parameters = { ${fixed.join(', ')} }`);
  }
  return `${lines.join('\n')}\n`;
}

function decode(body: unknown): string | undefined {
  if (body && typeof body === 'object' && '$base64' in body) {
    return Buffer.from(String((body as { $base64: string }).$base64), 'base64').toString('utf8');
  }
  return typeof body === 'string' ? body : undefined;
}

interface Recorder {
  label: string;
  cases?: Record<
    string,
    {
      value: {
        method: string;
        path: string;
        meta?: { generation?: { mode?: string } };
      };
    }
  >;
  checks?: Record<string, { name: string; status: string }[]>;
  interactions?: Record<
    string,
    {
      request: { method: string; uri: string; body?: unknown };
      response?: { status_code: number; content?: unknown } | null;
    }
  >;
}

/** Every case of the run, from the `ScenarioFinished` events of the NDJSON log. */
function readCases(ndjsonPath: string): FuzzCase[] {
  const cases: FuzzCase[] = [];
  for (const line of readFileSync(ndjsonPath, 'utf8').split('\n')) {
    if (!line.includes('"ScenarioFinished"')) continue;
    const event = JSON.parse(line) as {
      ScenarioFinished: { phase: string; recorder: Recorder };
    };
    const { phase, recorder } = event.ScenarioFinished;
    for (const [id, { value }] of Object.entries(recorder.cases ?? {})) {
      const interaction = recorder.interactions?.[id];
      cases.push({
        phase,
        mode: value.meta?.generation?.mode ?? 'unknown',
        operation: recorder.label,
        method: interaction?.request.method ?? value.method,
        uri: interaction?.request.uri ?? value.path,
        status: interaction?.response?.status_code,
        requestBody: decode(interaction?.request.body),
        responseBody: decode(interaction?.response?.content),
        failedChecks: (recorder.checks?.[id] ?? [])
          .filter((c) => c.status === 'failure')
          .map((c) => c.name),
      });
    }
  }
  return cases;
}

export async function runSchemathesis(options: FuzzRunOptions): Promise<FuzzRun> {
  const dir = join(options.workDir, options.name);
  mkdirSync(dir, { recursive: true });
  const configFile = join(dir, 'schemathesis.toml');
  writeFileSync(configFile, configToml(options));
  const reportDir = join(dir, 'report');
  const args = [
    '--config-file',
    configFile,
    'run',
    options.schemaUrl,
    '--mode',
    options.mode,
    '--phases',
    options.phases.join(','),
    '--max-examples',
    String(options.maxExamples),
    // Derandomized: the same cases in the same order on every run, so CI is reproducible.
    '--generation-deterministic',
    '--checks',
    options.checks.join(','),
    '--request-timeout',
    String(options.requestTimeoutSeconds),
    '--workers',
    '1',
    '--report',
    'json,ndjson,junit',
    '--report-dir',
    reportDir,
    '--no-color',
    '--output-truncate',
    'false',
    ...Object.entries(options.headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`]),
    ...options.exclude.flatMap((e) => ['--exclude-name', e.name]),
    ...(options.include ?? []).flatMap((name) => ['--include-name', name]),
  ];
  const { code, output, timedOut } = await new Promise<{
    code: number;
    output: string;
    timedOut: boolean;
  }>((resolveRun) => {
    execFile(
      options.st,
      args,
      {
        cwd: dir, // schemathesis and hypothesis write their caches here
        timeout: options.timeoutMs,
        maxBuffer: 64 * 1024 * 1024,
        env: {
          ...process.env,
          NO_COLOR: '1',
          ...(options.hooks ? { SCHEMATHESIS_HOOKS: options.hooks } : {}),
        },
      },
      (err, stdout, stderr) => {
        const exit = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        // execFile's timeout kills with SIGTERM and leaves a half-written report behind.
        const timedOut = !!err && err.killed === true && err.signal === 'SIGTERM';
        resolveRun({ code: exit, output: `${stdout}${stderr}`, timedOut });
      },
    );
  });
  const files = (() => {
    try {
      return readdirSync(reportDir);
    } catch {
      return [];
    }
  })();
  if (timedOut) {
    throw new Error(
      `schemathesis (${options.name}) did not finish within ${options.timeoutMs / 1000} s:\n${output.slice(-3000)}`,
    );
  }
  const json = files.find((f) => f.startsWith('json-') && f.endsWith('.json'));
  const ndjson = files.find((f) => f.endsWith('.ndjson'));
  if (!json || !ndjson) {
    throw new Error(
      `schemathesis (${options.name}) wrote no report (exit ${code}):\n${output.slice(-6000)}`,
    );
  }
  return {
    exitCode: code,
    output,
    report: JSON.parse(readFileSync(join(reportDir, json), 'utf8')) as FuzzRun['report'],
    cases: readCases(join(reportDir, ndjson)),
  };
}

/** One line per case, for failure messages: `POST /api/v1/… → 500 {body} ← {response}`. */
export function describeCase(c: FuzzCase, max = 600): string {
  const cut = (s: string | undefined): string =>
    !s ? '' : s.length > max ? `${s.slice(0, max)}…` : s;
  const path = c.uri.replace(/^https?:\/\/[^/]+/, '');
  return (
    `[${c.phase}/${c.mode}] ${c.method} ${path} → ${c.status ?? 'no response'}` +
    (c.requestBody ? `\n    request:  ${cut(c.requestBody)}` : '') +
    (c.responseBody ? `\n    response: ${cut(c.responseBody)}` : '')
  );
}
