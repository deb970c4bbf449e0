/**
 * The web session. The access token lives in this module's memory only; the refresh token is an
 * httpOnly cookie that no script can read (POST /api/v1/auth/session sets it). On a reload the app
 * asks the session route for a new access token; a timer renews it a minute before it runs out.
 * Renewals are serialised across tabs with the Web Locks API: the refresh token rotates, and two
 * tabs presenting the same one at once would look like a stolen token and end the session.
 */
import type { components } from '../api/schema';

export type Account = components['schemas']['AccountView'];
type SessionView = components['schemas']['SessionView'];

const SESSION = '/api/v1/auth/session';
const HEADERS = { 'content-type': 'application/json', 'x-entente-session': '1' };

interface State {
  accessToken: string;
  expiresAt: number;
  user: Account;
}

let state: State | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
let renewing: Promise<State | undefined> | undefined;
const listeners = new Set<(user: Account | undefined) => void>();

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: { field: string; messages: string[] }[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail || code);
  }
}

export async function problemOf(response: Response): Promise<ProblemError> {
  let body: unknown = {};
  try {
    body = await response.json();
  } catch {
    // not problem+json (a proxy's page): the status says enough
  }
  return problemFrom(response.status, body);
}

/** A ProblemError from a status and an already parsed problem+json body. */
export function problemFrom(status: number, parsed: unknown): ProblemError {
  const body = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  return new ProblemError(
    status,
    typeof body.code === 'string' ? body.code : `HTTP_${status}`,
    typeof body.detail === 'string' ? body.detail : '',
    Array.isArray(body.errors) ? (body.errors as ProblemError['errors']) : [],
    body,
  );
}

function notify(): void {
  for (const listener of listeners) listener(state?.user);
}

function accept(view: SessionView): State {
  state = {
    accessToken: view.accessToken,
    expiresAt: Date.now() + view.expiresIn * 1000,
    user: view.user,
  };
  if (timer) clearTimeout(timer);
  // A minute early (or halfway for very short tokens), so no request meets an expired token.
  const lead = Math.min(60_000, (view.expiresIn * 1000) / 2);
  timer = setTimeout(() => void renew(), Math.max(1_000, view.expiresIn * 1000 - lead));
  notify();
  return state;
}

function forget(): void {
  state = undefined;
  if (timer) clearTimeout(timer);
  timer = undefined;
  notify();
}

/**
 * Tabs of the same browser share the session cookie but each holds its own access token: a
 * logout in one tab tells the others to forget theirs at once, not when it runs out.
 */
const tabs =
  typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel('entente-session') : undefined;
tabs?.addEventListener('message', (event: MessageEvent) => {
  if (event.data === 'logout' && state) forget();
});

export function currentUser(): Account | undefined {
  return state?.user;
}

export function onSessionChange(listener: (user: Account | undefined) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setCurrentUser(user: Account): void {
  if (state) {
    state = { ...state, user };
    notify();
  }
}

export async function login(email: string, password: string): Promise<Account> {
  const response = await fetch(SESSION, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    credentials: 'same-origin',
  });
  if (!response.ok) throw await problemOf(response);
  return accept((await response.json()) as SessionView).user;
}

async function renewOnce(): Promise<State | undefined> {
  const response = await fetch(`${SESSION}/refresh`, {
    method: 'POST',
    headers: HEADERS,
    body: '{}',
    credentials: 'same-origin',
  });
  // 204: no session on this browser; 401: the session ended (logged out elsewhere, revoked).
  if (response.status === 204 || response.status === 401) {
    forget();
    return undefined;
  }
  if (!response.ok) throw await problemOf(response);
  return accept((await response.json()) as SessionView);
}

/** A new access token from the session cookie; undefined when there is no session. */
export function renew(): Promise<State | undefined> {
  renewing ??= (async () => {
    try {
      const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
      return locks ? await locks.request('entente-session', renewOnce) : await renewOnce();
    } finally {
      renewing = undefined;
    }
  })();
  return renewing;
}

/** The access token to send now, renewed first when it is about to run out. */
export async function accessToken(): Promise<string | undefined> {
  if (state && state.expiresAt - Date.now() > 5_000) return state.accessToken;
  return (await renew())?.accessToken;
}

export async function logout(): Promise<void> {
  try {
    // No body, so no content-type.
    await fetch(SESSION, {
      method: 'DELETE',
      headers: { 'x-entente-session': '1' },
      credentials: 'same-origin',
    });
  } finally {
    forget();
    tabs?.postMessage('logout');
  }
}

/** After a 401 on an API call: the access token was refused (revoked user): try one renewal. */
export async function recoverFrom401(): Promise<string | undefined> {
  state = state ? { ...state, expiresAt: 0 } : undefined;
  return accessToken();
}
