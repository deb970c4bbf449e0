/**
 * Temporal's time-skipping test server (the Java one, io.temporal:temporal-test-server) installed
 * from Maven Central only: Maven resolves tools/temporal-test-server/pom.xml into ~/.m2 and prints
 * the classpath, and a small `java -cp ... io.temporal.testserver.TestServer "$@"` wrapper goes
 * into $HOME/.cache/entente/temporal-test-server-<version>/. @temporalio/testing then runs it with
 * `server.executable: { type: 'existing-path', path }` instead of downloading a binary from GitHub.
 *
 * Run as a script (`node dist/scripts/lib/time-skipping.js`) it installs the server if needed and
 * prints the wrapper's path.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '@workflows/partnership/partnership.contract';
import {
  executableFromEnv,
  isExecutable,
  manifestAccepted,
  printToolPath,
  repoRootHolding,
  run,
  temporaryPath,
  toolCacheDir,
  writeAtomically,
  writeManifest,
} from './tool-cache';

/** Keep equal to the version pinned in tools/temporal-test-server/pom.xml. */
export const TEST_SERVER_VERSION = '1.31.0';
const POM = join('tools', 'temporal-test-server', 'pom.xml');
const MAIN_CLASS = 'io.temporal.testserver.TestServer';

/** Where the wrapper lives: $HOME/.cache/entente/temporal-test-server-<version>/. */
export function timeSkippingCacheDir(): string {
  return toolCacheDir('temporal-test-server', TEST_SERVER_VERSION);
}

function wrapperPath(): string {
  return join(timeSkippingCacheDir(), 'temporal-test-server');
}

/** What the wrapper runs: the java binary and the jars in ~/.m2, checked before it is reused. */
interface Manifest {
  java: string;
  classpath: string[];
}

/**
 * The time-skipping test server to run: `$TEMPORAL_TEST_SERVER` when set, else the installed
 * wrapper, as long as its java and every jar it names are still there. Undefined when not
 * installed.
 */
export function findTimeSkippingServer(): string | undefined {
  const fromEnv = executableFromEnv('TEMPORAL_TEST_SERVER');
  if (fromEnv) return fromEnv;
  const wrapper = wrapperPath();
  if (!isExecutable(wrapper)) return undefined;
  const current = manifestAccepted<Manifest>(
    timeSkippingCacheDir(),
    (manifest) => isExecutable(manifest.java) && manifest.classpath.every((jar) => existsSync(jar)),
  );
  return current ? wrapper : undefined;
}

/** The repository root: the nearest directory above this file holding the pom. */
function repoRoot(): string {
  return repoRootHolding(POM);
}

/** The java to run the server with: $JAVA_HOME/bin/java, else `java` on PATH (absolute path). */
async function findJava(): Promise<string> {
  const candidates = process.env.JAVA_HOME ? [join(process.env.JAVA_HOME, 'bin', 'java')] : [];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir) candidates.push(join(dir, 'java'));
  }
  const java = candidates.find(isExecutable);
  const check = java ? await run(java, ['-version']) : undefined;
  if (!java || !check?.ok) {
    throw new Error(
      `java not found${java ? ` (${java} -version failed: ${check?.output})` : ' on PATH or in $JAVA_HOME'}: ` +
        'the Temporal time-skipping test server is a Java program; install a JRE 8+ ' +
        '(e.g. apt-get install openjdk-17-jre-headless) or set JAVA_HOME',
    );
  }
  return java;
}

/** Resolves the pom's dependencies (offline first, then from Maven Central) into a classpath. */
async function resolveClasspath(log: (line: string) => void): Promise<string> {
  const outputFile = temporaryPath(join(timeSkippingCacheDir(), 'classpath'));
  const args = [
    '-B',
    '-q',
    '-Dstyle.color=never',
    '-f',
    POM,
    'dependency:build-classpath',
    `-Dmdep.outputFile=${outputFile}`,
  ];
  const root = repoRoot();
  try {
    let result = await run('mvn', ['-o', ...args], { cwd: root });
    if (result.missing) {
      throw new Error(
        'mvn not found on PATH: Maven fetches the Temporal time-skipping test server from ' +
          'Maven Central; install it (e.g. apt-get install maven)',
      );
    }
    if (!result.ok) {
      log(
        `fetching io.temporal:temporal-test-server:${TEST_SERVER_VERSION} from Maven Central ` +
          '(first run only, ~45 MB into ~/.m2)',
      );
      result = await run('mvn', args, { cwd: root });
    }
    if (!result.ok) {
      throw new Error(
        `mvn -f ${POM} dependency:build-classpath failed (is Maven Central reachable, or ` +
          `~/.m2 filled?):\n${result.output}`,
      );
    }
    const classpath = readFileSync(outputFile, 'utf8').trim();
    if (!classpath.includes(`temporal-test-server-${TEST_SERVER_VERSION}.jar`)) {
      throw new Error(`mvn printed a classpath without the test server jar: ${classpath}`);
    }
    return classpath;
  } finally {
    rmSync(outputFile, { force: true });
  }
}

/** Installs (or re-installs) the wrapper and returns its path. Needs java and mvn. */
export async function installTimeSkippingServer(
  log: (line: string) => void = console.log,
): Promise<string> {
  const java = await findJava();
  mkdirSync(timeSkippingCacheDir(), { recursive: true });
  const classpath = await resolveClasspath(log);
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = [
    '#!/bin/sh',
    `# Temporal time-skipping test server ${TEST_SERVER_VERSION}, written by scripts/lib/time-skipping.ts.`,
    `exec ${quote(java)} -cp ${quote(classpath)} ${MAIN_CLASS} "$@"`,
    '',
  ].join('\n');
  // The manifest first: find…() accepts the wrapper only once both are in place.
  const manifest: Manifest = { java, classpath: classpath.split(delimiter) };
  writeManifest(timeSkippingCacheDir(), manifest);
  writeAtomically(wrapperPath(), script, 0o755);
  return wrapperPath();
}

/** The installed server, or a fresh install. */
export async function ensureTimeSkippingServer(
  log: (line: string) => void = console.log,
): Promise<string> {
  return findTimeSkippingServer() ?? installTimeSkippingServer(log);
}

if (require.main === module) {
  printToolPath('time-skipping test server', () => ensureTimeSkippingServer());
}

/**
 * A time-skipping Temporal environment on the Java test server that the jest global setup
 * installed from Maven (scripts/lib/time-skipping.ts), with our search attributes registered.
 * One per suite, and tests in it run one after another: skipped time is global to the server.
 */
/** Start attempts: the SDK gives the server 5 s to listen, which a busy 2-core CI can miss. */
const START_ATTEMPTS = 3;

async function startTimeSkippingServer(path: string): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path } },
      });
    } catch (err) {
      if (attempt >= START_ATTEMPTS || !/did not start within/.test(String(err))) throw err;
    }
  }
}

export async function createTimeSkippingEnv(
  path = process.env.TEST_TIME_SKIPPING_SERVER,
): Promise<TestWorkflowEnvironment> {
  if (!path) {
    const why = process.env.TEST_TIME_SKIPPING_SERVER_ERROR;
    throw new Error(
      why
        ? `no time-skipping test server: the jest global setup could not install it: ${why}`
        : 'TEST_TIME_SKIPPING_SERVER is not set: run the tests with npm test (jest globalSetup), ' +
            'or point it at a server (node dist/scripts/lib/time-skipping.js installs one)',
    );
  }
  const env = await startTimeSkippingServer(path);
  try {
    // The test server knows only its own Custom*Field attributes; an upsert of any other fails
    // the workflow task. It implements AddSearchAttributes (not ListSearchAttributes).
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(
        ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!]),
      ),
    });
  } catch (err) {
    await env.teardown();
    throw err;
  }
  return env;
}
