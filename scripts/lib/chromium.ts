/**
 * Debian's chromium as the browser tests (test/support/browser.ts) and the browser bench
 * (bench/board-browser.ts) launch it through playwright-core: never a browser downloaded by a
 * tool, and flags for a machine without internet. See docs/testing-browser.md.
 */

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_INSTALL = 'apt-get update && apt-get install -y chromium fonts-noto-cjk';

/**
 * Flags for a machine without internet: nothing in the background reaches out. Playwright adds
 * its own `--user-data-dir` with a fresh temporary profile for every launch (and removes it on
 * close), so no profile is shared between runs.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
