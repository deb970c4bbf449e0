import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { UserRole } from '@libs/domain';
import { appEnv } from './stack';

/**
 * The API's route table, read from the application itself: every route its Fastify instance
 * serves (Nest's controllers, Swagger, the static files of Swagger UI, the HEAD twins Fastify adds
 * to each GET), each with the access rule its decorators declare. Built in a child process from
 * the compiled app (dist/, as the API processes run it) with the test stack's database and
 * Temporal, and closed again without ever listening.
 */

const DIST = join(__dirname, '..', '..', 'dist');
const run = promisify(execFile);

export type Need = 'read' | 'act';

/**
 * Who may call a route. `public`: anyone, without credentials. Otherwise a signed-in user, and
 * also: one of `roles`; `partnership`: read or act on the partnership in `:id`; `approval`: the
 * same on the partnership of the approval request in `:approvalId`. `{}` is any signed-in user.
 */
export interface AccessRule {
  public?: true;
  roles?: UserRole[];
  partnership?: Need;
  approval?: Need;
}

export interface ServedRoute {
  /** "METHOD /path", the path as Fastify's router has it, e.g. "POST /api/v1/partnerships/:id/advance". */
  key: string;
  method: string;
  path: string;
  /** The Nest handler, or undefined for a route Fastify serves outside Nest (no guard runs). */
  handler?: string;
  /** For a HEAD route that Fastify derived from a GET: that GET's key. */
  headOf?: string;
  /** What the decorators say; routes outside Nest are public (no guard ever sees them). */
  declared: AccessRule;
}

export function describeRule(rule: AccessRule): string {
  if (rule.public) return 'public';
  const parts: string[] = [];
  if (rule.roles) parts.push(`roles: ${rule.roles.join(', ')}`);
  if (rule.partnership) parts.push(`partnership: ${rule.partnership}`);
  if (rule.approval) parts.push(`approval: ${rule.approval}`);
  return parts.length > 0 ? parts.join('; ') : 'authenticated';
}

/** Parses `fastify.printRoutes({ commonPrefix: false })`: one node per line, 4 columns a level. */
export function parsePrintedRoutes(printed: string): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const stack: string[] = [];
  for (const line of printed.split('\n')) {
    if (!line.trim()) continue;
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) throw new Error(`cannot parse a line of printRoutes(): ${JSON.stringify(line)}`);
    const depth = match[1].length / 4;
    const path = (depth > 0 ? stack[depth - 1] : '') + match[2];
    stack.length = depth;
    stack.push(path);
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, path });
  }
  return routes;
}

/**
 * Runs in a child Node process (the compiled app as the API runs it, and away from jest's module
 * loader and from Nest's process.exit on a failed start): builds the application without
 * listening, and prints Fastify's routes and each Nest handler's method, paths and access
 * metadata, as the guards read it (AuthGuard: handler, then class; PartnershipAccessGuard:
 * handler only).
 */
const DUMP_ROUTES = String.raw`
const { join } = require('node:path');
const dist = process.argv[1];
const { createApiApp } = require(join(dist, 'apps/api/src/bootstrap.js'));
const { loadConfig } = require(join(dist, 'libs/config/index.js'));
const { PUBLIC_ROUTE, ROLES } = require(join(dist, 'apps/api/src/auth/auth.decorators.js'));
const { PARTNERSHIP_ACCESS } = require(join(dist, 'apps/api/src/partnerships/partnership-access.js'));
const { DiscoveryService, MetadataScanner, ModulesContainer } = require('@nestjs/core');
const { RequestMethod } = require('@nestjs/common');
const { PATH_METADATA, METHOD_METADATA } = require('@nestjs/common/constants');

(async () => {
  const app = await createApiApp(loadConfig());
  await app.init();
  const fastify = app.getHttpAdapter().getInstance();
  await fastify.ready();
  const handlers = [];
  const problems = [];
  const scanner = new MetadataScanner();
  for (const wrapper of new DiscoveryService(app.get(ModulesContainer)).getControllers()) {
    const controller = wrapper.metatype;
    if (!controller) continue;
    if (Reflect.getMetadata(PARTNERSHIP_ACCESS, controller) !== undefined) {
      problems.push(controller.name + ': a partnership rule on the class is ignored by the guard');
    }
    const prefixes = [Reflect.getMetadata(PATH_METADATA, controller)].flat();
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = controller.prototype[name];
      const paths = Reflect.getMetadata(PATH_METADATA, handler);
      if (paths === undefined) continue;
      const pick = (key) =>
        Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
      const declared = {};
      if (pick(PUBLIC_ROUTE)) declared.public = true;
      if (pick(ROLES)) declared.roles = [...pick(ROLES)];
      const access = Reflect.getMetadata(PARTNERSHIP_ACCESS, handler);
      if (access) declared[access.from === 'id' ? 'partnership' : 'approval'] = access.need;
      const full = [];
      for (const prefix of prefixes) {
        for (const path of [paths].flat()) {
          const parts = [prefix, path].map((p) => (p ?? '').replace(/^\/+|\/+$/g, ''));
          full.push('/' + parts.filter(Boolean).join('/'));
        }
      }
      handlers.push({
        method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler)],
        paths: full,
        handler: controller.name + '.' + name,
        declared,
      });
    }
  }
  const printed = fastify.printRoutes({ commonPrefix: false });
  await app.close();
  process.stdout.write('\nROUTE-TABLE ' + JSON.stringify({ printed, handlers, problems }) + '\n');
  process.exit(0);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
`;

interface Dump {
  printed: string;
  handlers: { method: string; paths: string[]; handler: string; declared: AccessRule }[];
  problems: string[];
}

/** The API's route table, from the application itself (see DUMP_ROUTES). */
export async function servedRoutes(): Promise<ServedRoute[]> {
  // The environment of the test API processes, without ADMIN_* (the running API created the admin).
  const { stdout } = await run(process.execPath, ['-e', DUMP_ROUTES, DIST], {
    cwd: join(__dirname, '..', '..'),
    env: appEnv({ LOG_LEVEL: 'error' }),
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  }).catch((err: { stderr?: string; message: string }) => {
    throw new Error(`could not build the route table: ${err.stderr || err.message}`);
  });
  const line = stdout.split('\n').find((l) => l.startsWith('ROUTE-TABLE '));
  if (!line) throw new Error(`no route table in the output:\n${stdout}`);
  const dump = JSON.parse(line.slice('ROUTE-TABLE '.length)) as Dump;

  const printed = parsePrintedRoutes(dump.printed);
  const servedKeys = new Set(printed.map((r) => `${r.method} ${r.path}`));
  const nest = new Map<string, { handler: string; declared: AccessRule }>();
  const problems = [...dump.problems];
  for (const h of dump.handlers) {
    for (const path of h.paths) {
      const key = `${h.method} ${path}`;
      nest.set(key, { handler: h.handler, declared: h.declared });
      if (!servedKeys.has(key)) problems.push(`Nest declares ${key}, which Fastify does not serve`);
    }
  }
  if (problems.length > 0) throw new Error(`route table:\n  ${problems.join('\n  ')}`);

  const routes: ServedRoute[] = printed.map((r) => {
    const key = `${r.method} ${r.path}`;
    const getKey = `GET ${r.path}`;
    const own = nest.get(key);
    if (r.method === 'HEAD' && !own && servedKeys.has(getKey)) {
      const get = nest.get(getKey);
      return {
        ...r,
        key,
        handler: get?.handler,
        headOf: getKey,
        declared: get?.declared ?? { public: true },
      };
    }
    return { ...r, key, handler: own?.handler, declared: own?.declared ?? { public: true } };
  });
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

/** Runs `fn` over `items` with at most `limit` at a time, in order of start. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  /** problem+json's `code`, when the body is one. */
  code?: string;
  json?: any;
  text: string;
}

/**
 * One request, any content type. An event stream is cut as soon as its headers arrive (its
 * status is what counts); everything else is read to the end.
 */
export async function request(
  url: string,
  method: string,
  options: {
    token?: string | null;
    body?: unknown;
    headers?: Record<string, string>;
    /** Give up (AbortError) when no answer came by then. */
    timeoutMs?: number;
  } = {},
): Promise<RawResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 30_000);
  try {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: controller.signal,
    });
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('text/event-stream')) {
      await res.body?.cancel().catch(() => undefined);
      return { status: res.status, headers: res.headers, text: '' };
    }
    const text = await res.text();
    let json: any;
    if (type.includes('json') && text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const code = typeof json?.code === 'string' ? (json.code as string) : undefined;
    return { status: res.status, headers: res.headers, code, json, text };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
