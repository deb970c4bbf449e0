/**
 * Static checks of the Docker deliverables (Dockerfile, docker-compose.yml) against the code they
 * run: the config schema, the entry points and the workflow's search attributes. Nothing here
 * needs a Docker engine; the files are only parsed.
 *
 * Each check is a function returning a list of problems. The real files must yield none, and a
 * deliberately broken copy must yield some, so no check can pass vacuously.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { configSchema, isShippedSecret } from '@libs/config';
import { configObject } from '@libs/config/config.schema';
import { searchAttributeArgs } from '../scripts/lib/temporal';

const ROOT = join(__dirname, '..');

type EnvValue = string | number | boolean | null;
type Port =
  string | number | { target: number | string; published?: number | string; host_ip?: string };

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, EnvValue> | string[];
  ports?: Port[];
  expose?: (string | number)[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  profiles?: string[];
}

interface Compose {
  services: Record<string, Service>;
}

interface DockerInstruction {
  keyword: string;
  args: string;
}

interface DockerStage {
  base: string;
  name?: string;
  instructions: DockerInstruction[];
}

/** The services that run our code, with env validated by libs/config. */
const APP_SERVICES = ['api', 'worker'] as const;
const ADMIN_TOOLS = 'temporal-admin-tools';
const SCHEMA_KEYS = new Set(Object.keys(configObject.shape));
/** What an operator puts in .env (see .env.example): secrets of their own, their SMTP relay. */
const DEPLOYMENT_ENV: Record<string, string> = {
  APPROVAL_LINK_SECRET: randomBytes(36).toString('base64'),
  AUTH_TOKEN_SECRET: randomBytes(36).toString('base64'),
  POSTGRES_PASSWORD: randomBytes(24).toString('hex'),
  SMTP_URL: 'smtp://mailer:relay-password@smtp.example.org:587',
};
/** Variables whose value is a credential: none may have a fallback in the file. */
const SECRET_NAME = /SECRET|PASSWORD|PWD|TOKEN|API_KEY|PRIVATE/;
/** Images of tools that show or change everything without a login. */
const DEV_TOOL_IMAGE = /^(axllent\/mailpit|temporalio\/ui)[:@]/;
const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);
const DEPENDS_ON_CONDITIONS = new Set([
  'service_started',
  'service_healthy',
  'service_completed_successfully',
]);

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

function loadCompose(): Compose {
  // Merge keys (`<<: *anchor`) as Compose resolves them.
  return parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
}

function loadEnvExample(): string {
  return readFileSync(join(ROOT, '.env.example'), 'utf8');
}

/** `NAME=value` lines of a dotenv file (quotes removed), comments and blank lines skipped. */
function dotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].trim().replace(/^(["'])(.*)\1$/, '$2');
  }
  return out;
}

function loadDockerfile(): string {
  return readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
}

/**
 * Compose variable interpolation, by default with what an operator's .env holds
 * ({@link DEPLOYMENT_ENV}): `${VAR:-default}` / `${VAR-default}` give the default when VAR is
 * unset, `${VAR:?message}` is an error then, `$$` is a literal `$`. A bare `${VAR}` that is unset
 * is an error too: every variable has a default or says why it is required.
 */
function interpolate(value: string, vars: Record<string, string> = DEPLOYMENT_ENV): string {
  const pattern =
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  return value.replace(
    pattern,
    (match, braced: string | undefined, op: string | undefined, arg: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare) as string;
      const current = vars[name];
      const missing = current === undefined || (op?.startsWith(':') === true && current === '');
      switch (op?.replace(':', '')) {
        case '-':
          return missing ? arg : current;
        case '+':
          return missing ? '' : arg;
        case '?':
          if (missing) throw new Error(`${name} is required: ${arg}`);
          return current;
        default:
          if (current === undefined) throw new Error(`${name} has no default (${match})`);
          return current;
      }
    },
  );
}

/** A service's `environment`, map or list form; a list entry without `=` passes the host's value. */
function rawEnv(service: Service): Record<string, EnvValue | undefined> {
  const env = service.environment;
  if (!env) return {};
  if (!Array.isArray(env)) return { ...env };
  return Object.fromEntries(
    env.map((entry) => {
      const at = entry.indexOf('=');
      return at < 0 ? [entry, undefined] : [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
}

/** The environment a container gets: the image's ENV (when built from our Dockerfile), then compose's. */
function effectiveEnv(
  service: Service,
  dockerfile: string,
  vars: Record<string, string> = DEPLOYMENT_ENV,
): Record<string, string> {
  const env: Record<string, string> = service.build ? { ...runtimeEnv(dockerfile) } : {};
  for (const [key, value] of Object.entries(rawEnv(service))) {
    if (value === undefined || value === null) continue;
    env[key] = interpolate(String(value), vars);
  }
  // As loadConfig does: an empty string means unset.
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
}

function dependsOn(service: Service): Record<string, string> {
  const deps = service.depends_on;
  if (!deps) return {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(
    Object.entries(deps).map(([name, spec]) => [name, spec?.condition ?? 'service_started']),
  );
}

function portNumber(value: string | number): number | undefined {
  const text = String(value).replace(/\/(tcp|udp)$/, '');
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** Container-side ports a service declares, from `expose` and `ports`. */
function containerPorts(service: Service): Set<number> {
  const ports = new Set<number>();
  for (const e of service.expose ?? []) {
    const n = portNumber(e);
    if (n !== undefined) ports.add(n);
  }
  for (const p of service.ports ?? []) {
    const n =
      typeof p === 'object'
        ? portNumber(p.target)
        : portNumber(String(p).split(':').pop() as string);
    if (n !== undefined) ports.add(n);
  }
  return ports;
}

/** Container port -> host port, for the ports a service publishes. */
function publishedPorts(service: Service): Map<number, number> {
  const map = new Map<number, number>();
  for (const p of service.ports ?? []) {
    if (typeof p === 'object') {
      const target = portNumber(p.target);
      const published = p.published === undefined ? undefined : portNumber(p.published);
      if (target !== undefined && published !== undefined) map.set(target, published);
      continue;
    }
    const parts = interpolate(String(p)).split(':');
    if (parts.length < 2) continue;
    const target = portNumber(parts[parts.length - 1]);
    const published = portNumber(parts[parts.length - 2]);
    if (target !== undefined && published !== undefined) map.set(target, published);
  }
  return map;
}

/** `host:port` -> problems if it does not name a service listening on that port. */
function checkServiceAddress(compose: Compose, where: string, address: string): string[] {
  const match = /^([^\s:]+):(\d+)$/.exec(address);
  if (!match) return [`${where}: "${address}" is not host:port`];
  const [, host, port] = match;
  const target = compose.services[host];
  if (!target) return [`${where}: host "${host}" is not a service`];
  if (!containerPorts(target).has(Number(port))) {
    return [`${where}: service "${host}" does not declare container port ${port}`];
  }
  return [];
}

function commandText(service: Service): string {
  return [service.entrypoint, service.command]
    .flat()
    .filter((part): part is string => typeof part === 'string')
    .join('\n');
}

/** `--flag value` and `--flag=value` pairs of a command line. */
function flags(commandLine: string): Record<string, string> {
  const tokens = commandLine.trim().split(/\s+/);
  const out: Record<string, string> = {};
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i];
    if (!token.startsWith('--')) continue;
    const eq = token.indexOf('=');
    if (eq >= 0) out[token.slice(2, eq)] = token.slice(eq + 1);
    else if (i + 1 < tokens.length && !tokens[i + 1].startsWith('-'))
      out[token.slice(2)] = tokens[++i];
  }
  return out;
}

/** Logical Dockerfile lines (continuations joined, comments dropped) grouped into stages. */
function dockerStages(dockerfile: string): DockerStage[] {
  const lines: string[] = [];
  let current = '';
  for (const raw of dockerfile.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    current += line;
    if (current.trim()) lines.push(current.trim().replace(/\s+/g, ' '));
    current = '';
  }
  const globalArgs: Record<string, string> = {};
  const stages: DockerStage[] = [];
  for (const line of lines) {
    const space = line.indexOf(' ');
    const keyword = (space < 0 ? line : line.slice(0, space)).toUpperCase();
    const args = space < 0 ? '' : line.slice(space + 1);
    if (keyword === 'FROM') {
      const [image, as, name] = args
        .split(' ')
        .filter((t) => !t.startsWith('--'))
        .map((t) =>
          t.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (_, v: string) => globalArgs[v] ?? ''),
        );
      stages.push({
        base: image,
        name: as?.toUpperCase() === 'AS' ? name : undefined,
        instructions: [],
      });
    } else if (stages.length === 0) {
      if (keyword === 'ARG') {
        const [name, value = ''] = args.split('=');
        globalArgs[name] = value;
      }
    } else {
      stages[stages.length - 1].instructions.push({ keyword, args });
    }
  }
  return stages;
}

function finalStage(dockerfile: string): DockerStage | undefined {
  const stages = dockerStages(dockerfile);
  return stages[stages.length - 1];
}

function instructions(stage: DockerStage | undefined, keyword: string): string[] {
  return (stage?.instructions ?? []).filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** ENV of the runtime (final) stage. */
function runtimeEnv(dockerfile: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of instructions(finalStage(dockerfile), 'ENV')) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(args)) {
      const [key, ...rest] = args.split(' ');
      env[key] = rest.join(' ');
      continue;
    }
    for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) {
      env[m[1]] = m[2].replace(/^(["'])(.*)\1$/, '$2');
    }
  }
  return env;
}

/** `node dist/<path>.js` -> problems unless <path>.ts exists in the repository. */
function checkEntry(where: string, argv: unknown): string[] {
  if (!Array.isArray(argv) || argv.some((a) => typeof a !== 'string')) {
    return [`${where}: must be exec form (a JSON/YAML list), so signals reach node`];
  }
  const [program, entry] = argv as string[];
  if (program !== 'node') return [`${where}: runs "${program}", not node`];
  const m = /^dist\/(.+)\.js$/.exec(entry ?? '');
  if (!m) return [`${where}: entry "${entry}" is not a compiled file under dist/`];
  const source = `${m[1]}.ts`;
  return existsSync(join(ROOT, source)) ? [] : [`${where}: ${entry} has no source ${source}`];
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

function checkImageOrBuild(compose: Compose): string[] {
  return Object.entries(compose.services)
    .filter(([, s]) => !s.image && !s.build)
    .map(([name]) => `${name}: has neither image nor build`);
}

function checkAppServicesExist(compose: Compose): string[] {
  return APP_SERVICES.filter((name) => !compose.services[name]).map((n) => `${n}: missing`);
}

function checkEnvKeysInSchema(compose: Compose, dockerfile: string): string[] {
  const problems = Object.keys(runtimeEnv(dockerfile))
    .filter((key) => !SCHEMA_KEYS.has(key))
    .map((key) => `Dockerfile ENV ${key}: not a config schema key`);
  for (const name of APP_SERVICES) {
    for (const key of Object.keys(rawEnv(compose.services[name] ?? {}))) {
      if (!SCHEMA_KEYS.has(key)) problems.push(`${name}: ${key} is not a config schema key`);
    }
  }
  return problems;
}

/** Unquoted `true`/`3000` become YAML booleans/numbers; Compose rejects booleans. */
function checkEnvValuesAreStrings(compose: Compose): string[] {
  return APP_SERVICES.flatMap((name) =>
    Object.entries(rawEnv(compose.services[name] ?? {}))
      .filter(([, v]) => typeof v !== 'string')
      .map(([key, v]) => `${name}: ${key} is ${v === undefined ? 'unset' : typeof v}; quote it`),
  );
}

function checkEnvParses(compose: Compose, dockerfile: string): string[] {
  return APP_SERVICES.flatMap((name) => {
    let env: Record<string, string>;
    try {
      env = effectiveEnv(compose.services[name] ?? {}, dockerfile);
    } catch (err) {
      return [`${name}: ${(err as Error).message}`];
    }
    const result = configSchema.safeParse(env);
    return result.success
      ? []
      : result.error.issues.map((i) => `${name}: ${i.path.join('.')} ${i.message}`);
  });
}

function parsedConfig(compose: Compose, dockerfile: string, name: string) {
  return configSchema.parse(effectiveEnv(compose.services[name], dockerfile));
}

/** Only the API migrates; the worker waits for it (two processes racing is pointless). */
function checkMigrations(compose: Compose, dockerfile: string): string[] {
  const problems: string[] = [];
  if (!parsedConfig(compose, dockerfile, 'api').DATABASE_MIGRATE_ON_START) {
    problems.push('api: DATABASE_MIGRATE_ON_START is off, so nothing runs the migrations');
  }
  if (parsedConfig(compose, dockerfile, 'worker').DATABASE_MIGRATE_ON_START) {
    problems.push('worker: DATABASE_MIGRATE_ON_START should be false');
  }
  return problems;
}

function checkApiPort(compose: Compose, dockerfile: string): string[] {
  const api = compose.services.api;
  const port = parsedConfig(compose, dockerfile, 'api').API_PORT;
  const problems: string[] = [];
  if (!publishedPorts(api).has(port)) {
    problems.push(`api: container port ${port} (API_PORT) is not published`);
  }
  const probe = [api.healthcheck?.test ?? []].flat().join(' ');
  if (!probe.includes(`localhost:${port}/health`)) {
    problems.push(`api: healthcheck does not probe localhost:${port}/health`);
  }
  return problems;
}

function checkTemporalAddresses(compose: Compose): string[] {
  return Object.entries(compose.services).flatMap(([name, service]) => {
    const address = rawEnv(service).TEMPORAL_ADDRESS;
    if (address === undefined || address === null) return [];
    return checkServiceAddress(compose, `${name} TEMPORAL_ADDRESS`, interpolate(String(address)));
  });
}

function checkDatabase(compose: Compose, dockerfile: string): string[] {
  const problems: string[] = [];
  const postgres = compose.services.postgres;
  if (!postgres?.image?.startsWith('postgres:')) return ['postgres: no postgres:<tag> service'];
  const pg = rawEnv(postgres);
  const user = interpolate(String(pg.POSTGRES_USER ?? 'postgres'));
  const password = interpolate(String(pg.POSTGRES_PASSWORD ?? ''));
  const database = interpolate(String(pg.POSTGRES_DB ?? user));

  for (const name of APP_SERVICES) {
    const url = new URL(parsedConfig(compose, dockerfile, name).DATABASE_URL);
    if (url.hostname !== 'postgres') problems.push(`${name}: DATABASE_URL host ${url.hostname}`);
    problems.push(
      ...checkServiceAddress(
        compose,
        `${name} DATABASE_URL`,
        `${url.hostname}:${url.port || 5432}`,
      ),
    );
    if (decodeURIComponent(url.username) !== user) problems.push(`${name}: DATABASE_URL user`);
    if (decodeURIComponent(url.password) !== password)
      problems.push(`${name}: DATABASE_URL password`);
    if (url.pathname.slice(1) !== database) problems.push(`${name}: DATABASE_URL database`);
  }

  const temporal = rawEnv(compose.services.temporal ?? {});
  const seeds = interpolate(String(temporal.POSTGRES_SEEDS ?? ''));
  const seedPort = interpolate(String(temporal.DB_PORT ?? '5432'));
  problems.push(...checkServiceAddress(compose, 'temporal POSTGRES_SEEDS', `${seeds}:${seedPort}`));
  if (interpolate(String(temporal.POSTGRES_USER ?? '')) !== user) {
    problems.push('temporal: POSTGRES_USER differs from the postgres service');
  }
  if (interpolate(String(temporal.POSTGRES_PWD ?? '')) !== password) {
    problems.push('temporal: POSTGRES_PWD differs from the postgres service');
  }
  return problems;
}

function checkDependsOn(compose: Compose): string[] {
  return Object.entries(compose.services).flatMap(([name, service]) =>
    Object.entries(dependsOn(service)).flatMap(([dep, condition]) => {
      const target = compose.services[dep];
      if (!target) return [`${name}: depends on unknown service "${dep}"`];
      if (!DEPENDS_ON_CONDITIONS.has(condition)) return [`${name}: unknown condition ${condition}`];
      if (
        condition === 'service_healthy' &&
        (!target.healthcheck?.test || target.healthcheck.disable)
      ) {
        return [`${name}: waits for "${dep}" to be healthy, but it has no healthcheck`];
      }
      return [];
    }),
  );
}

/** api after the search attributes exist; worker after the API (and so its migrations). */
function checkStartupOrder(compose: Compose): string[] {
  const expected: [string, string, string][] = [
    ['api', 'postgres', 'service_healthy'],
    ['api', 'temporal', 'service_healthy'],
    ['api', ADMIN_TOOLS, 'service_completed_successfully'],
    ['worker', 'api', 'service_healthy'],
  ];
  return expected
    .filter(([svc, dep, condition]) => dependsOn(compose.services[svc] ?? {})[dep] !== condition)
    .map(([svc, dep, condition]) => `${svc}: should depend on ${dep} (${condition})`);
}

/** name -> CLI type, from the same mapping the dev server uses (scripts/lib/temporal.ts). */
function expectedSearchAttributes(): Map<string, string> {
  const args = searchAttributeArgs();
  const map = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const [name, type] = args[i + 1].split('=');
    map.set(name, type);
  }
  return map;
}

function checkSearchAttributes(compose: Compose, dockerfile: string): string[] {
  const tools = compose.services[ADMIN_TOOLS];
  if (!tools) return [`${ADMIN_TOOLS}: missing`];
  const namespace = parsedConfig(compose, dockerfile, 'api').TEMPORAL_NAMESPACE;
  const problems: string[] = [];
  const registered = new Map<string, string>();
  const script = interpolate(commandText(tools));
  for (const m of script.matchAll(/temporal operator search-attribute create([^\n|;&]*)/g)) {
    const f = flags(m[1]);
    if (!f.name || !f.type) {
      problems.push(`create without --name/--type: ${m[0]}`);
      continue;
    }
    if (registered.has(f.name)) problems.push(`${f.name}: registered twice`);
    registered.set(f.name, f.type);
    if ((f.namespace ?? 'default') !== namespace) {
      problems.push(`${f.name}: namespace ${f.namespace ?? 'default'}, API uses ${namespace}`);
    }
    problems.push(...checkServiceAddress(compose, `${f.name} --address`, f.address ?? ''));
  }
  const expected = expectedSearchAttributes();
  for (const [name, type] of expected) {
    if (!registered.has(name)) problems.push(`${name}: not registered`);
    else if (registered.get(name) !== type) {
      problems.push(`${name}: registered as ${registered.get(name)}, workflow uses ${type}`);
    }
  }
  for (const name of registered.keys()) {
    if (!expected.has(name)) problems.push(`${name}: registered but not in ALL_SEARCH_ATTRIBUTES`);
  }
  return problems;
}

function checkEntries(compose: Compose, dockerfile: string): string[] {
  const problems: string[] = [];
  const cmd = instructions(finalStage(dockerfile), 'CMD').pop();
  let argv: unknown;
  try {
    argv = cmd === undefined ? undefined : JSON.parse(cmd);
  } catch {
    argv = cmd;
  }
  problems.push(...checkEntry('Dockerfile CMD (api)', argv));
  if (Array.isArray(argv) && argv[1] !== 'dist/apps/api/src/main.js') {
    problems.push('Dockerfile CMD: the default command should start the API');
  }
  const worker = compose.services.worker?.command;
  problems.push(...checkEntry('worker command', worker));
  if (Array.isArray(worker) && worker[1] !== 'dist/apps/worker/src/main.js') {
    problems.push('worker command: should start the worker');
  }
  return problems;
}

function checkDockerfile(dockerfile: string): string[] {
  const problems: string[] = [];
  const stages = dockerStages(dockerfile);
  if (stages.length < 2) problems.push(`${stages.length} FROM stage(s); want a multi-stage build`);
  const runtime = stages[stages.length - 1];
  const user = instructions(runtime, 'USER').pop()?.split(':')[0];
  if (!user || user === 'root' || user === '0') {
    problems.push(`runtime stage runs as ${user ?? 'root (no USER)'}`);
  }
  const runs = instructions(runtime, 'RUN').join('\n');
  if (!/npm ci\b[^\n]*--omit=dev/.test(runs)) problems.push('runtime stage: no npm ci --omit=dev');
  const builders = stages.slice(0, -1).map((s) => s.name);
  const copiesDist = instructions(runtime, 'COPY').some((c) => {
    const from = /--from=(\S+)/.exec(c)?.[1];
    return from !== undefined && builders.includes(from) && /\bdist\b/.test(c);
  });
  if (!copiesDist) problems.push('runtime stage: does not copy dist/ from a build stage');
  const buildsDist = stages
    .slice(0, -1)
    .some((s) => instructions(s, 'RUN').some((r) => r.includes('npm run build')));
  if (!buildsDist) problems.push('no stage runs npm run build');
  const workdir = instructions(runtime, 'WORKDIR').pop();
  const env = runtimeEnv(dockerfile);
  if (env.NODE_ENV !== 'production') problems.push('runtime stage: NODE_ENV is not production');
  // `npm run build` writes the bundle to dist/workflow-bundle.js (scripts/bundle-workflows.ts).
  if (env.WORKER_WORKFLOW_BUNDLE_PATH !== `${workdir}/dist/workflow-bundle.js`) {
    problems.push(
      `WORKER_WORKFLOW_BUNDLE_PATH ${env.WORKER_WORKFLOW_BUNDLE_PATH} is not the built bundle`,
    );
  }
  return problems;
}

/** Every string in the file (anchors resolved), with where it is. */
function strings(node: unknown, where = ''): [string, string][] {
  if (typeof node === 'string') return [[where, node]];
  if (Array.isArray(node)) return node.flatMap((n, i) => strings(n, `${where}[${i}]`));
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) => strings(v, where ? `${where}.${k}` : k));
  }
  return [];
}

/** `${NAME…}` uses in a string: the name, the operator (`:-`, `-`, `:?`, …) and its argument. */
function interpolations(value: string): { name: string; op?: string; arg: string }[] {
  return [...value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}/g)].map((m) => ({
    name: m[1],
    op: m[2],
    arg: m[3] ?? '',
  }));
}

/**
 * No credential has a fallback: every secret variable is `${VAR:?why}` (or may be empty,
 * `${VAR:-}`, as ADMIN_PASSWORD when no admin is wanted), no secret is written into the file, and
 * without .env the stack refuses to start for want of each required secret and the SMTP relay.
 */
function checkNoSecretFallback(compose: Compose, dockerfile: string): string[] {
  const problems: string[] = [];
  for (const [where, value] of strings(compose)) {
    for (const use of interpolations(value)) {
      if (!SECRET_NAME.test(use.name)) continue;
      if (use.op?.replace(':', '') === '-' && use.arg !== '') {
        problems.push(`${where}: \${${use.name}} falls back to "${use.arg}"`);
      }
      if (use.op === undefined) problems.push(`${where}: \${${use.name}} has no :? message`);
    }
  }
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [key, value] of Object.entries(rawEnv(service))) {
      if (!SECRET_NAME.test(key) || typeof value !== 'string' || value === '') continue;
      if (!value.includes('${')) problems.push(`${name}: ${key} is written into the file`);
    }
  }
  for (const required of [
    'APPROVAL_LINK_SECRET',
    'AUTH_TOKEN_SECRET',
    'POSTGRES_PASSWORD',
    'SMTP_URL',
  ]) {
    const without = Object.fromEntries(
      Object.entries(DEPLOYMENT_ENV).filter(([name]) => name !== required),
    );
    for (const name of APP_SERVICES) {
      let refused = false;
      try {
        effectiveEnv(compose.services[name] ?? {}, dockerfile, without);
      } catch (err) {
        refused = (err as Error).message.startsWith(`${required} is required`);
      }
      if (!refused) problems.push(`${name}: starts without ${required} in .env`);
    }
  }
  return problems;
}

/** The host address a published port binds to; undefined when it is every interface. */
function hostIp(port: Port): string | undefined {
  if (typeof port === 'object') return port.host_ip;
  const text = interpolate(String(port));
  const v6 = /^(\[[^\]]+\]):/.exec(text);
  if (v6) return v6[1];
  const parts = text.split(':');
  return parts.length === 3 ? parts[0] : undefined;
}

/**
 * Mailpit (every e-mail, so every approval link) and the Temporal UI (signal or end any
 * workflow) have no login: they start only with a non-default profile, and publish on loopback
 * only. The same goes for any port but the API's: nothing else is meant for the outside.
 */
function checkNoDevToolOnPublicInterface(compose: Compose): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(compose.services)) {
    const devTool = DEV_TOOL_IMAGE.test(service.image ?? '');
    if (devTool && !(service.profiles ?? []).length) {
      problems.push(`${name}: a development tool outside a profile (starts in production)`);
    }
    if (name === 'api') continue;
    for (const port of service.ports ?? []) {
      const ip = hostIp(port);
      if (!ip || !LOOPBACK.has(ip)) {
        problems.push(`${name}: publishes ${JSON.stringify(port)} on ${ip ?? 'every interface'}`);
      }
    }
  }
  // The production profile (services without one) needs nothing from a development profile.
  for (const [name, service] of Object.entries(compose.services)) {
    if ((service.profiles ?? []).length) continue;
    for (const dep of Object.keys(dependsOn(service))) {
      if ((compose.services[dep]?.profiles ?? []).length) {
        problems.push(`${name}: depends on ${dep}, which only a profile starts`);
      }
    }
  }
  return problems;
}

/**
 * .env.example names every variable the compose file reads, and ships no usable secret: each
 * secret in it is empty (so compose refuses to start) or one the config refuses.
 */
function checkEnvExample(compose: Compose, example: string): string[] {
  const documented = dotenv(example);
  const problems: string[] = [];
  const used = new Set(strings(compose).flatMap(([, v]) => interpolations(v).map((u) => u.name)));
  for (const name of used) {
    if (!(name in documented)) problems.push(`.env.example: ${name} is not documented`);
  }
  for (const [name, value] of Object.entries(documented)) {
    if (!used.has(name)) problems.push(`.env.example: ${name} is not used by docker-compose.yml`);
    if (SECRET_NAME.test(name) && name !== 'ADMIN_PASSWORD' && value && !isShippedSecret(value)) {
      problems.push(`.env.example: ${name} ships a value the config would accept`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  const compose = loadCompose();
  const dockerfile = loadDockerfile();

  type Check = (c: Compose, d: string) => string[];
  const env = (c: Compose, name: string) =>
    c.services[name].environment as Record<string, EnvValue>;
  const script = (c: Compose) => c.services[ADMIN_TOOLS].command as string[];
  /** [title, check, a mutation of a fresh copy that the check must catch]. */
  const cases: [string, Check, (c: Compose) => void][] = [
    [
      'every service has an image or a build',
      (c) => checkImageOrBuild(c),
      (c) => {
        delete c.services.mailpit.image;
      },
    ],
    [
      'defines the api and worker services',
      (c) => checkAppServicesExist(c),
      (c) => {
        delete c.services.worker;
      },
    ],
    [
      'api/worker environment names are config schema keys',
      checkEnvKeysInSchema,
      (c) => {
        env(c, 'worker').TEMPORAL_HOST = 'temporal';
      },
    ],
    [
      'api/worker environment values are quoted strings',
      (c) => checkEnvValuesAreStrings(c),
      (c) => {
        env(c, 'api').API_PORT = 3000;
      },
    ],
    [
      'api/worker environment, with ${VAR:-default} resolved, passes the config schema',
      checkEnvParses,
      (c) => {
        env(c, 'api').LOG_LEVEL = '${LOG_LEVEL:-info}';
      },
    ],
    [
      'only the api runs migrations',
      checkMigrations,
      (c) => {
        env(c, 'worker').DATABASE_MIGRATE_ON_START = 'true';
      },
    ],
    [
      'the api publishes and health-checks its API_PORT',
      checkApiPort,
      (c) => {
        env(c, 'api').API_PORT = '8080';
      },
    ],
    [
      'TEMPORAL_ADDRESS points at a service listening on that port',
      (c) => checkTemporalAddresses(c),
      (c) => {
        env(c, 'worker').TEMPORAL_ADDRESS = 'temporal:7234';
      },
    ],
    [
      'DATABASE_URL (and Temporal persistence) point at the postgres service and its credentials',
      checkDatabase,
      (c) => {
        env(c, 'api').DATABASE_URL = 'postgres://entente:entente@db:5432/entente';
      },
    ],
    [
      'every depends_on names an existing service with a usable condition',
      (c) => checkDependsOn(c),
      (c) => {
        (c.services.worker.depends_on as Record<string, object>).redis = {};
      },
    ],
    [
      'services start in order: search attributes, api (migrations), worker',
      (c) => checkStartupOrder(c),
      (c) => {
        delete (c.services.api.depends_on as Record<string, object>)[ADMIN_TOOLS];
      },
    ],
    [
      'temporal-admin-tools registers exactly ALL_SEARCH_ATTRIBUTES with their types',
      checkSearchAttributes,
      (c) => {
        script(c)[0] = script(c)[0].replace('--type KeywordList', '--type Keyword');
      },
    ],
    [
      'no secret has a fallback; without .env the stack refuses to start',
      checkNoSecretFallback,
      (c) => {
        env(c, 'api').AUTH_TOKEN_SECRET =
          '${AUTH_TOKEN_SECRET:-change-me-compose-access-token-secret-00000}';
      },
    ],
    [
      'no secret is written into the file',
      checkNoSecretFallback,
      (c) => {
        c.services.postgres.environment = { POSTGRES_PASSWORD: 'entente' };
      },
    ],
    [
      'the SMTP relay is required (no fallback to Mailpit in production)',
      checkNoSecretFallback,
      (c) => {
        env(c, 'worker').SMTP_URL = 'smtp://mailpit:1025';
      },
    ],
    [
      'Mailpit and the Temporal UI only in a profile, and only on loopback',
      (c) => checkNoDevToolOnPublicInterface(c),
      (c) => {
        c.services.mailpit.ports = ['8025:8025'];
      },
    ],
    [
      'no development tool in the production profile',
      (c) => checkNoDevToolOnPublicInterface(c),
      (c) => {
        delete c.services['temporal-ui'].profiles;
      },
    ],
    [
      'the image CMD and the worker command run compiled entry points that exist',
      checkEntries,
      (c) => {
        c.services.worker.command = ['node', 'dist/apps/worker/src/index.js'];
      },
    ],
  ];

  describe.each(cases)('%s', (_title, check, breakIt) => {
    it('holds for the real files', () => {
      expect(check(compose, dockerfile)).toEqual([]);
    });

    it('catches a broken copy', () => {
      const broken = structuredClone(compose);
      breakIt(broken);
      expect(check(broken, dockerfile).length).toBeGreaterThan(0);
    });
  });

  it('resolves ${VAR:-default}, ${VAR:?why}, $$ and rejects variables without a default', () => {
    expect(interpolate('a ${X:-b} $$c')).toBe('a b $c');
    expect(interpolate('${X:-b}', { X: 'set' })).toBe('set');
    expect(() => interpolate('${NO_DEFAULT}')).toThrow('NO_DEFAULT');
    expect(() => interpolate('${X:?set X}', {})).toThrow('X is required: set X');
    expect(() => interpolate('${X:?set X}', { X: '' })).toThrow('X is required');
    const c = structuredClone(compose);
    env(c, 'api').DATABASE_URL = '${DATABASE_URL}';
    expect(checkEnvParses(c, dockerfile).join()).toContain('DATABASE_URL has no default');
  });

  it('the dev tools are in a profile and on loopback; publishing on 0.0.0.0 is caught', () => {
    for (const tool of ['mailpit', 'temporal-ui']) {
      expect(compose.services[tool].profiles).toEqual(['dev']);
      expect(compose.services[tool].ports?.map(hostIp)).toEqual(['127.0.0.1']);
    }
    const c = structuredClone(compose);
    c.services['temporal-ui'].ports = ['0.0.0.0:8233:8080'];
    expect(checkNoDevToolOnPublicInterface(c)).toEqual([
      'temporal-ui: publishes "0.0.0.0:8233:8080" on 0.0.0.0',
    ]);
  });

  it('the file as it was before December 2026 fails the secret and dev-tool checks', () => {
    // What shipped until then: public fallback secrets, Mailpit and the Temporal UI on every
    // interface, outside any profile.
    const c = structuredClone(compose);
    env(c, 'api').APPROVAL_LINK_SECRET =
      '${APPROVAL_LINK_SECRET:-change-me-compose-approval-link-secret-0000}';
    env(c, 'api').AUTH_TOKEN_SECRET =
      '${AUTH_TOKEN_SECRET:-change-me-compose-access-token-secret-00000}';
    delete c.services.mailpit.profiles;
    c.services.mailpit.ports = ['1025:1025', '8025:8025'];
    delete c.services['temporal-ui'].profiles;
    c.services['temporal-ui'].ports = ['8233:8080'];
    expect(checkNoSecretFallback(c, dockerfile)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/APPROVAL_LINK_SECRET} falls back to "change-me/),
        'api: starts without AUTH_TOKEN_SECRET in .env',
      ]),
    );
    expect(checkNoDevToolOnPublicInterface(c).sort()).toEqual([
      'mailpit: a development tool outside a profile (starts in production)',
      'mailpit: publishes "1025:1025" on every interface',
      'mailpit: publishes "8025:8025" on every interface',
      'temporal-ui: a development tool outside a profile (starts in production)',
      'temporal-ui: publishes "8233:8080" on every interface',
    ]);
  });

  it('registers the five partnership search attributes', () => {
    expect(Object.fromEntries(expectedSearchAttributes())).toEqual({
      PartnershipId: 'Keyword',
      PartnershipStage: 'Keyword',
      PartnershipStatus: 'Keyword',
      PartnershipCoordinator: 'Keyword',
      PartnershipOrganisations: 'KeywordList',
    });
    const c = structuredClone(compose);
    script(c)[0] = script(c)[0].replace(/^.*--name PartnershipStage .*$/m, 'true ||');
    expect(checkSearchAttributes(c, dockerfile)).toContain('PartnershipStage: not registered');
  });
});

describe('.env.example', () => {
  const compose = loadCompose();
  const example = loadEnvExample();

  it('documents every variable docker-compose.yml reads, and ships no usable secret', () => {
    expect(checkEnvExample(compose, example)).toEqual([]);
  });

  it('as copied, leaves the stack refusing to start until the secrets are filled in', () => {
    const vars = dotenv(example);
    expect(() => effectiveEnv(compose.services.api, loadDockerfile(), vars)).toThrow(
      /is required: set/,
    );
  });

  it.each([
    ['an undocumented variable', (e: string) => e.replace(/^SMTP_URL=.*$/m, '')],
    [
      'a secret the config would accept',
      (e: string) =>
        e.replace(
          /^AUTH_TOKEN_SECRET=.*$/m,
          `AUTH_TOKEN_SECRET=${randomBytes(36).toString('base64')}`,
        ),
    ],
  ])('catches %s', (_what, breakIt) => {
    expect(checkEnvExample(compose, breakIt(example)).length).toBeGreaterThan(0);
  });

  it('a placeholder secret in it would be refused by the config', () => {
    const placeholder = example.replace(
      /^AUTH_TOKEN_SECRET=.*$/m,
      'AUTH_TOKEN_SECRET=change-me-to-a-long-random-secret-of-your-own',
    );
    expect(checkEnvExample(compose, placeholder)).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = loadDockerfile();

  it('is a multi-stage build whose runtime stage runs as a non-root user', () => {
    expect(checkDockerfile(dockerfile)).toEqual([]);
    expect(dockerStages(dockerfile).map((s) => s.base)).toContain('node:20-bookworm-slim');
  });

  it.each<[string, (d: string) => string]>([
    ['no USER', (d) => d.replace(/^USER .*$/m, '')],
    ['USER root', (d) => d.replace(/^USER .*$/m, 'USER root')],
    ['a single stage', (d) => d.replace(/^FROM[\s\S]*?(?=^FROM \$\{NODE_IMAGE\} AS runtime)/m, '')],
    ['dev dependencies at runtime', (d) => d.replace('npm ci --omit=dev', 'npm ci')],
    [
      'a wrong bundle path',
      (d) => d.replace('/app/dist/workflow-bundle.js', '/app/workflow-bundle.js'),
    ],
  ])('catches %s', (_title, breakIt) => {
    expect(checkDockerfile(breakIt(dockerfile)).length).toBeGreaterThan(0);
  });

  it('catches a CMD whose entry has no source', () => {
    const broken = dockerfile.replace(/^CMD .*$/m, 'CMD ["node", "dist/apps/api/main.js"]');
    expect(checkEntries(loadCompose(), broken).length).toBeGreaterThan(0);
  });
});
