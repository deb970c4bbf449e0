import createClient, { type Middleware } from 'openapi-fetch';
import { accessToken, problemFrom, recoverFrom401 } from '../auth/session';
import type { paths } from './schema';

export type { components } from './schema';

const auth: Middleware = {
  async onRequest({ request }) {
    const token = await accessToken();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
};

/** The typed API client, generated from the API's own OpenAPI document (npm run api:client). */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(auth);

/**
 * Unwraps an openapi-fetch result: the data, or a ProblemError carrying the problem's code and
 * field errors. One 401 is retried after renewing the access token.
 */
export async function call<T>(
  run: () => Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result = await run();
  if (result.response.status === 401 && (await recoverFrom401())) result = await run();
  if (!result.response.ok) throw problemFrom(result.response.status, result.error);
  return result.data as T;
}
