import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@libs/config';
import { DomainError, ErrorCode } from '@libs/domain';
import type { AuthService } from './auth.service';
import { SessionController } from './session.controller';

/** What a renewal that fails leaves in the browser: the cookie goes only when it is dead. */
describe('SessionController.refresh when the renewal fails', () => {
  function attempt(failure: unknown): Promise<string | undefined> {
    const auth = {
      refresh: () => Promise.reject(failure),
    } as unknown as AuthService;
    const config = { AUTH_REFRESH_TOKEN_TTL_DAYS: 30 } as AppConfig;
    const controller = new SessionController(auth, config);
    const headers: Record<string, string> = {};
    const reply = {
      header: (name: string, value: string) => {
        headers[name] = value;
        return reply;
      },
    } as unknown as FastifyReply;
    const request = {
      headers: { 'x-entente-session': '1', cookie: 'entente_session=ent_rt_x' },
    } as unknown as FastifyRequest;
    return controller.refresh(request, reply).then(
      () => {
        throw new Error('the renewal should have failed');
      },
      (err: unknown) => {
        expect(err).toBe(failure);
        return headers['set-cookie'];
      },
    );
  }

  it('clears the cookie when it no longer works (used, revoked, expired)', async () => {
    const cookie = await attempt(
      new DomainError(ErrorCode.REFRESH_TOKEN_INVALID, 'Refresh token is invalid'),
    );
    expect(cookie).toMatch(/^entente_session=; Max-Age=0;/);
  });

  it('keeps it through a passing failure, so the next renewal can still sign in', async () => {
    expect(await attempt(new Error('connection terminated'))).toBeUndefined();
  });
});
