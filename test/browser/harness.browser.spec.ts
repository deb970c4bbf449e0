import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  assertChromiumInstalled,
  axeViolations,
  describeAxeFindings,
  expectAccessible,
  focusStyle,
  followEmailLink,
  READERS,
  tabTo,
  useBrowser,
} from '../support/browser';

/**
 * The browser harness itself: each check the browser specs rely on must be able to fail. A small
 * server in the test process serves pages that break each rule on purpose.
 */
describe('browser harness (test/support/browser.ts)', () => {
  const PAGES: Record<string, { csp?: string; type?: string; body: string }> = {
    '/inaccessible': {
      body: '<!doctype html><html><head><title>x</title></head><body><button></button><img src="/pixel.svg"></body></html>',
    },
    '/csp': {
      csp: "default-src 'none'",
      body: '<!doctype html><html lang="en"><head><title>csp</title></head><body><main><h1>CSP</h1><img src="/pixel.svg" alt="pixel"></main></body></html>',
    },
    '/script-error': {
      csp: "default-src 'none'; script-src 'self'",
      body: '<!doctype html><html lang="en"><head><title>js</title><script src="/boom.js"></script></head><body><main><h1>JS</h1></main></body></html>',
    },
    '/boom.js': {
      type: 'text/javascript',
      body: 'console.error("something went wrong"); throw new Error("boom");',
    },
    '/pixel.svg': {
      type: 'image/svg+xml',
      body: '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>',
    },
    '/focus': {
      body: '<!doctype html><html lang="en"><head><title>focus</title><style>.hidden:focus{outline:none}.shown:focus-visible{outline:3px solid #f59e0b}</style></head><body><main><h1>Focus</h1><button class="hidden">Hidden</button><button class="shown">Shown</button></main></body></html>',
    },
    '/landing': {
      body: '<!doctype html><html lang="en"><head><title>landing</title></head><body><main><h1>Landed</h1></main></body></html>',
    },
  };

  let server: Server;
  let origin: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const page = PAGES[new URL(req.url ?? '/', 'http://x').pathname];
      if (!page) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': `${page.type ?? 'text/html'}; charset=utf-8`,
        ...(page.csp ? { 'content-security-policy': page.csp } : {}),
      });
      res.end(page.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  const session = useBrowser(() => ({ hosts: { 'harness.test': origin } }));

  it('names the apt command when chromium is missing', () => {
    expect(() => assertChromiumInstalled('/nonexistent/chromium')).toThrow(
      'apt-get update && apt-get install -y chromium fonts-noto-cjk',
    );
    expect(() => assertChromiumInstalled()).not.toThrow();
  });

  it('reaches a mapped host name, in the locale and time zone of the context', async () => {
    const { page } = await session.openPage(READERS.zh);
    await page.goto('http://harness.test/landing');
    expect(await page.locator('h1').textContent()).toBe('Landed');
    expect(
      await page.evaluate(() => [
        (globalThis as any).navigator.language,
        Intl.DateTimeFormat().resolvedOptions().timeZone,
      ]),
    ).toEqual(['zh-CN', 'Asia/Shanghai']);
  });

  it('axe reports serious and critical violations with rule, help and selectors', async () => {
    const { page } = await session.openPage(READERS.en);
    await page.goto(`${origin}/inaccessible`);
    const findings = await axeViolations(page);
    expect(findings.map((f) => f.id)).toEqual(expect.arrayContaining(['button-name', 'image-alt']));
    expect(findings.every((f) => f.impact === 'serious' || f.impact === 'critical')).toBe(true);
    const message = describeAxeFindings(findings);
    expect(message).toContain('image-alt (critical)');
    expect(message).toContain('at img');
    await expect(expectAccessible(page, 'the inaccessible page')).rejects.toThrow(
      /serious\/critical violation\(s\) on the inaccessible page/,
    );
  });

  it('axe runs on a page whose CSP allows no script, and refuses a context without JavaScript', async () => {
    const on = await session.openPage(READERS.en);
    await on.page.goto(`${origin}/csp`);
    expect(await axeViolations(on.page)).toEqual([]);
    const off = await session.openPage({ ...READERS.en, javaScriptEnabled: false });
    await off.page.goto(`${origin}/csp`);
    await expect(axeViolations(off.page)).rejects.toThrow(/JavaScript enabled/);
  });

  it('collects CSP violations with JavaScript on and off', async () => {
    const on = await session.openPage(READERS.en);
    await on.page.goto(`${origin}/csp`);
    await on.page.waitForTimeout(200);
    expect(on.problems.cspViolations).toEqual([
      expect.objectContaining({ directive: 'img-src', blocked: `${origin}/pixel.svg` }),
    ]);
    const off = await session.openPage({ ...READERS.en, javaScriptEnabled: false });
    await off.page.goto(`${origin}/csp`);
    await off.page.waitForTimeout(200);
    expect(off.problems.all()).toEqual([expect.stringMatching(/Content Security Policy/)]);
  });

  it('collects console errors and uncaught exceptions', async () => {
    const { page, problems } = await session.openPage(READERS.en);
    await page.goto(`${origin}/script-error`);
    await page.waitForTimeout(200);
    expect(problems.consoleErrors).toEqual([expect.stringContaining('something went wrong')]);
    expect(problems.pageErrors).toEqual([expect.stringContaining('boom')]);
  });

  it('tells a visible focus from a hidden one', async () => {
    const { page } = await session.openPage({ ...READERS.en, javaScriptEnabled: false });
    await page.goto(`${origin}/focus`);
    const hidden = page.getByRole('button', { name: 'Hidden' });
    const shown = page.getByRole('button', { name: 'Shown' });
    expect(await tabTo(page, hidden)).toBe(1);
    expect(await focusStyle(hidden)).toMatchObject({ focused: true, outlineStyle: 'none' });
    expect(await tabTo(page, shown)).toBe(1);
    expect(await focusStyle(shown)).toMatchObject({
      focused: true,
      outlineStyle: 'solid',
      outlineWidth: '3px',
    });
    await expect(tabTo(page, page.locator('h1'), 3)).rejects.toThrow(/did not reach/);
  });

  it('follows the matching link of an e-mail, and lists the links when none matches', async () => {
    const { page } = await session.openPage({ ...READERS.es, javaScriptEnabled: false });
    const html = `<p><a href="http://harness.test/elsewhere">x</a> <a href="http://harness.test/landing">Abrir</a></p>`;
    const { url } = await followEmailLink(page, html, /\/landing$/);
    expect(url).toBe('http://harness.test/landing');
    expect(page.url()).toBe('http://harness.test/landing');
    expect(await page.locator('h1').textContent()).toBe('Landed');
    await expect(followEmailLink(page, html, /\/a\//)).rejects.toThrow(/harness\.test\/elsewhere/);
  });
});
