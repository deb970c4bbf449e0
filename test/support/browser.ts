import type { AxeResults, ImpactValue } from 'axe-core';
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Browser,
  BrowserContext,
  BrowserContextOptions,
  chromium,
  Locator,
  Page,
  Request,
} from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_INSTALL, CHROMIUM_PATH } from '../../scripts/lib/chromium';
import en from '../../web/src/i18n/en';
import es from '../../web/src/i18n/es';
import zh from '../../web/src/i18n/zh';
import { TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD } from './stack';

const CATALOGS = { en, es, zh } as const;

/**
 * Browser tests drive Debian's chromium through playwright-core: never a browser downloaded by a
 * test tool. One browser per spec file (`useBrowser()`), one fresh context per test, each with
 * its locale and time zone. See docs/testing-browser.md.
 */

// The path and the closed-network flags are shared with bench/board-browser.ts.
export { CHROMIUM_ARGS, CHROMIUM_INSTALL, CHROMIUM_PATH };

/** Viewports for screenshots and layout: a laptop for coordinators, a phone for partners. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** The people of the founding case as browser settings: a Valencian, a Chengdu and a London reader. */
export const READERS = {
  es: { locale: 'es-ES', timezoneId: 'Europe/Madrid' },
  zh: { locale: 'zh-CN', timezoneId: 'Asia/Shanghai' },
  en: { locale: 'en-GB', timezoneId: 'Europe/London' },
} as const;

export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'docs', 'screenshots');

export interface LaunchOptions {
  /**
   * Host names the browser resolves to a local server, e.g. `{ 'entente.test': api.url }`: the
   * links in the test e-mails use PUBLIC_BASE_URL (http://entente.test), and the browser follows
   * them to the API under test (Chromium's --host-resolver-rules).
   */
  hosts?: Record<string, string>;
}

/** Fails with the command to run when Debian's chromium or the CJK fonts are missing. */
export function assertChromiumInstalled(path = CHROMIUM_PATH): void {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `The browser tests need Debian's chromium at ${path}, and it is not there. ` +
        `Install it (as root) with: ${CHROMIUM_INSTALL}   (.ci/run does this).`,
    );
  }
  let cjk = '';
  try {
    cjk = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  } catch {
    // no fontconfig: reported below like missing fonts
  }
  if (!cjk.trim()) {
    throw new Error(
      `The browser tests need a Chinese font (Chinese pages would show boxes). ` +
        `Install it (as root) with: ${CHROMIUM_INSTALL}`,
    );
  }
}

/** Launches Debian's chromium headless with the closed-network flags. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  assertChromiumInstalled();
  const args = [...CHROMIUM_ARGS];
  const entries = Object.entries(options.hosts ?? {});
  if (entries.length > 0) {
    const targets = entries.map(([name, url]) => [name, new URL(url)] as const);
    args.push(
      `--host-resolver-rules=${targets
        .map(([name, url]) => `MAP ${name} ${url.hostname}:${url.port || '80'}`)
        .join(', ')}`,
      // freePort() may hand out a port Chromium refuses by default (e.g. 6000, 6666).
      `--explicitly-allowed-ports=${targets.map(([, url]) => url.port || '80').join(',')}`,
      // In production these hosts are served over HTTPS: treat them as secure origins, so that
      // the security headers apply as they would there (Chrome ignores COOP on plain http).
      `--unsafely-treat-insecure-origin-as-secure=${entries.map(([name]) => `http://${name}`).join(',')}`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
}

export interface PageOptions {
  /** BCP 47 locale: navigator.language, Accept-Language and Intl (see READERS). */
  locale: string;
  /** IANA time zone the browser runs in. */
  timezoneId: string;
  /** Default: desktop (1280x800). */
  viewport?: ViewportName;
  /** Default true. With false the page's scripts never run (the partner pages must work so). */
  javaScriptEnabled?: boolean;
  /** Anything else Playwright takes for a context. */
  context?: Omit<BrowserContextOptions, 'locale' | 'timezoneId' | 'viewport' | 'javaScriptEnabled'>;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions and CSP violations seen by this context's pages. */
  problems: PageProblems;
}

/** Contexts opened with JavaScript off: axe cannot run in them. */
const withoutJavaScript = new WeakSet<BrowserContext>();

/** A fresh context (no cookies, no storage) with one page, watched for problems. */
export async function openPage(browser: Browser, options: PageOptions): Promise<OpenedPage> {
  const javaScriptEnabled = options.javaScriptEnabled ?? true;
  const context = await browser.newContext({
    ...options.context,
    locale: options.locale,
    timezoneId: options.timezoneId,
    viewport: VIEWPORTS[options.viewport ?? 'desktop'],
    javaScriptEnabled,
  });
  if (!javaScriptEnabled) withoutJavaScript.add(context);
  const problems = await watchProblems(context, javaScriptEnabled);
  const page = await context.newPage();
  return { context, page, problems };
}

export interface BrowserSession {
  /** The spec file's browser (after its beforeAll). */
  readonly browser: Browser;
  /** openPage() on the spec's browser; the context is closed after the current test. */
  openPage(options: PageOptions): Promise<OpenedPage>;
}

/**
 * Registers beforeAll/afterAll hooks that launch one browser for the spec file and close it, and
 * an afterEach that closes the contexts the test opened. Call it at the top of a describe, after
 * the hooks that start the API when `options` needs its URL (hooks run in order).
 */
export function useBrowser(options: () => LaunchOptions = () => ({})): BrowserSession {
  let browser: Browser | undefined;
  const open: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchBrowser(options());
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser(): Browser {
      if (!browser) throw new Error('the browser is not launched yet (use it inside a test)');
      return browser;
    },
    async openPage(pageOptions: PageOptions): Promise<OpenedPage> {
      const opened = await openPage(this.browser, pageOptions);
      open.push(opened.context);
      return opened;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Problems: console errors, uncaught exceptions, CSP violations

export interface CspViolation {
  page: string;
  directive: string;
  blocked: string;
  source: string;
}

export interface PageProblems {
  /** console.error lines and browser-logged errors (failed loads, CSP reports as Chrome logs them). */
  readonly consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  readonly pageErrors: string[];
  /** `securitypolicyviolation` events (only where JavaScript runs; Chrome also logs each one). */
  readonly cspViolations: CspViolation[];
  /** Everything above as readable lines, for `expect(problems.all()).toEqual([])`. */
  all(): string[];
}

/**
 * Watches every page of `context`. CSP violations are caught twice over: a
 * `securitypolicyviolation` listener installed before any page script (Playwright's init
 * scripts and bindings are not subject to the page's CSP), and Chrome's own console error for
 * each violation, which is the only signal when JavaScript is off.
 */
export async function watchProblems(
  context: BrowserContext,
  javaScriptEnabled = true,
): Promise<PageProblems> {
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const cspViolations: CspViolation[] = [];
  if (javaScriptEnabled) {
    await context.exposeBinding(
      '__ententeCspViolation',
      ({ page }, v: Omit<CspViolation, 'page'>) => {
        cspViolations.push({ page: page.url(), ...v });
      },
    );
    await context.addInitScript(() => {
      const g = globalThis as any;
      g.document.addEventListener('securitypolicyviolation', (e: any) => {
        g.__ententeCspViolation({
          directive: String(e.effectiveDirective || e.violatedDirective),
          blocked: String(e.blockedURI),
          source: `${e.sourceFile || ''}:${e.lineNumber || 0}`,
        });
      });
    });
  }
  const watch = (page: Page): void => {
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return {
    consoleErrors,
    pageErrors,
    cspViolations,
    all: () => [
      ...consoleErrors.map((e) => `console error: ${e}`),
      ...pageErrors.map((e) => `uncaught: ${e}`),
      ...cspViolations.map(
        (v) => `CSP violation on ${v.page}: ${v.directive} blocked ${v.blocked} (${v.source})`,
      ),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Accessibility (axe-core)

export interface AxeFinding {
  id: string;
  impact: ImpactValue;
  help: string;
  helpUrl: string;
  /** CSS selectors of the offending elements. */
  targets: string[];
}

const SERIOUS: readonly ImpactValue[] = ['serious', 'critical'];
let axeSource: string | undefined;

/**
 * Runs axe-core in the page and returns its serious and critical violations (empty when none).
 * axe's source is evaluated with page.evaluate (DevTools evaluation is not subject to the page's
 * CSP, so `script-src 'self'` pages need no bypassCSP and are checked exactly as served). The
 * page's context must have JavaScript enabled.
 */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  if (withoutJavaScript.has(page.context())) {
    throw new Error('axe runs in the page: check it in a context with JavaScript enabled');
  }
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const results = (await page.evaluate(() =>
    (globalThis as any).axe.run((globalThis as any).document, { resultTypes: ['violations'] }),
  )) as AxeResults;
  return results.violations
    .filter((v) => v.impact && SERIOUS.includes(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact!,
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map((n) => n.target.map(String).join(' ')),
    }));
}

/** Findings as lines: rule id, impact, help, then each target selector. */
export function describeAxeFindings(findings: AxeFinding[]): string {
  return findings
    .map(
      (f) =>
        `- ${f.id} (${f.impact}): ${f.help} <${f.helpUrl}>\n` +
        f.targets.map((t) => `    at ${t}`).join('\n'),
    )
    .join('\n');
}

/** Throws a readable error when axe finds a serious or critical violation on the page. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // For a person to look at each checked state (TEST_SCREENSHOTS=<dir>); never in CI.
  const shots = process.env.TEST_SCREENSHOTS;
  if (shots) {
    mkdirSync(shots, { recursive: true });
    const name = what.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  }
  const findings = await axeViolations(page);
  if (findings.length > 0) {
    throw new Error(
      `axe: ${findings.length} serious/critical violation(s) on ${what} (${page.url()}):\n` +
        describeAxeFindings(findings),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Screenshots, focus, e-mail links

/** Saves the page as docs/screenshots/<name>.png (committed; the README shows them). */
export async function saveScreenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`screenshot name must be kebab-case: ${name}`);
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled' });
  return path;
}

export interface FocusStyle {
  focused: boolean;
  outlineStyle: string;
  outlineWidth: string;
  outlineColor: string;
  boxShadow: string;
}

/** Whether `locator` has the keyboard focus, and its computed outline (works with JS off too). */
export async function focusStyle(locator: Locator): Promise<FocusStyle> {
  return locator.evaluate((el: any) => {
    const g = globalThis as any;
    const style = g.getComputedStyle(el);
    return {
      focused: g.document.activeElement === el,
      outlineStyle: String(style.outlineStyle),
      outlineWidth: String(style.outlineWidth),
      outlineColor: String(style.outlineColor),
      boxShadow: String(style.boxShadow),
    };
  });
}

/**
 * Presses Tab until `target` has the focus (at most `maxTabs` times) and returns how many presses
 * it took; throws when the keyboard never reaches it.
 */
export async function tabTo(page: Page, target: Locator, maxTabs = 30): Promise<number> {
  for (let presses = 1; presses <= maxTabs; presses++) {
    await page.keyboard.press('Tab');
    if ((await focusStyle(target)).focused) return presses;
  }
  throw new Error(`Tab did not reach ${String(target)} in ${maxTabs} presses`);
}

/**
 * Opens an e-mail's HTML body (as Mailpit holds it) in the page and follows its first link whose
 * address matches `href`, as the recipient would click it; resolves once the linked page loaded.
 */
export async function followEmailLink(
  page: Page,
  html: string,
  href: RegExp,
): Promise<{ url: string }> {
  await page.setContent(html);
  const links = page.locator('a[href]');
  const hrefs = await links.evaluateAll((as: any[]) => as.map((a) => String(a.href)));
  const index = hrefs.findIndex((h) => href.test(h));
  if (index < 0)
    throw new Error(`no link matching ${href} in the e-mail; links: ${hrefs.join(' ')}`);
  const url = hrefs[index];
  await Promise.all([page.waitForURL(url), links.nth(index).click()]);
  return { url };
}

/** The login form's words in the web app's catalog of one language. */
export interface LoginWords {
  login: { email: string; password: string; submit: string };
}

/**
 * The requests `page` has sent and not seen answered, with their age: what a page stuck on
 * "Loading" waits for, for a test's failure message.
 */
export function trackRequests(page: Page): { pending(): string[] } {
  const open = new Map<Request, number>();
  page.on('request', (r) => open.set(r, Date.now()));
  const done = (r: Request): void => void open.delete(r);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return {
    pending: () => [...open].map(([r, at]) => `${r.method()} ${r.url()} (${Date.now() - at} ms)`),
  };
}

/** What `page` shows, in short: its address and the first characters of its text. */
export async function pageSummary(page: Page, chars = 600): Promise<string> {
  const text = await page
    .locator('body')
    .innerText({ timeout: 2_000 })
    .catch((e: unknown) => `(unreadable: ${String(e)})`);
  return `${page.url()}: ${JSON.stringify(text.replace(/\s+/g, ' ').slice(0, chars))}`;
}

/**
 * Signs in through the login page at `base` with these words (the page's language), and waits
 * for the board. By default as the test admin. The account then speaks the
 * same language: a language another test chose on the page is remembered on the account (the
 * test admin's, shared by every browser test file), and would come back at the next page load.
 */
export async function signInAt(
  page: Page,
  base: string,
  words: LoginWords,
  email = TEST_ADMIN_EMAIL,
  password = TEST_ADMIN_PASSWORD,
): Promise<void> {
  if (!page.url().startsWith(`${base}/login`)) await page.goto(`${base}/login`);
  await page.getByLabel(words.login.email).fill(email);
  await page.getByLabel(words.login.password).fill(password);
  await page.getByRole('button', { name: words.login.submit }).click();
  await page.waitForURL(`${base}/`);
  const language = (Object.keys(CATALOGS) as (keyof typeof CATALOGS)[]).find(
    (code) => CATALOGS[code].login.submit === words.login.submit,
  );
  const select = page.locator('.language-switcher select');
  if (language && (await select.inputValue()) !== language) {
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === '/api/v1/me',
    );
    await select.selectOption(language);
    await saved;
  }
}
