import { useBrowser, type BrowserSession } from './browser';
import { foundingCaseRequest } from './fixtures';
import { appEnv, http, startPlatform, type Platform } from './stack';

export interface PlatformInBrowser {
  /** The platform the describe block started (inside a test or a later hook). */
  platform(): Platform;
  /** The address the app is used at and the e-mails link to: PUBLIC_BASE_URL. */
  publicBase(): URL;
  /** The spec's browser, which resolves PUBLIC_BASE_URL's host to the platform's API. */
  session: BrowserSession;
  /** The platform API's address of an /api/v1 path. */
  v1(path: string): string;
  /**
   * A new partnership (the founding case unless `request` says otherwise), created by the test
   * admin, whose account language is cleared first so that the browser's language decides (another
   * suite may have set it).
   */
  newPartnership(request?: Record<string, unknown>): Promise<Record<string, any>>;
}

/**
 * Registers the hooks of a browser spec over the whole platform (API, worker, Temporal,
 * PostgreSQL, Mailpit): the platform starts once before the block's tests and stops after them,
 * and one browser opens PUBLIC_BASE_URL on the platform's API (started with `apiEnv` on top of
 * the test environment). Call it at the top of a describe,
 * before its own beforeAll hooks that need the platform (hooks run in order).
 */
export function usePlatformInBrowser(apiEnv: Record<string, string> = {}): PlatformInBrowser {
  let running: Platform | undefined;
  beforeAll(async () => {
    running = await startPlatform(apiEnv);
  });
  afterAll(async () => {
    await running?.stop();
  });
  const platform = (): Platform => {
    if (!running) throw new Error('the platform is not started yet (use it inside a test)');
    return running;
  };
  const publicBase = (): URL => new URL(appEnv().PUBLIC_BASE_URL!);
  const session = useBrowser(() => ({ hosts: { [publicBase().hostname]: platform().api.url } }));
  const v1 = (path: string): string => `${platform().api.url}/api/v1${path}`;
  const newPartnership = async (request: Record<string, unknown> = foundingCaseRequest()) => {
    expect((await http('PATCH', v1('/me'), { language: null })).status).toBe(200);
    const created = await http('POST', v1('/partnerships'), request);
    expect(created.status).toBe(201);
    return created.body;
  };
  return { platform, publicBase, session, v1, newPartnership };
}
