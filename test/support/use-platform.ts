import { Platform, startPlatform } from './stack';

/**
 * One platform (see startPlatform) for the describe block this is called in: started before its
 * tests, stopped after them. `started` receives it once it runs, so that a spec keeps its own
 * `api`, `pool` and `client`.
 */
export function usePlatform(
  started: (platform: Platform) => void,
  apiEnv: Record<string, string> = {},
  workerEnv: Record<string, string> = {},
): void {
  let platform: Platform | undefined;

  beforeAll(async () => {
    platform = await startPlatform(apiEnv, workerEnv);
    started(platform);
  });

  afterAll(async () => {
    await platform?.stop();
  });
}
