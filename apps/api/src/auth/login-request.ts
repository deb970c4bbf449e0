import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '@libs/domain';
import { clientKey } from '../platform/security';
import type { LoginDto, TokenPairView } from './auth.dto';
import type { AuthService } from './auth.service';

/**
 * A password login as both login routes make it: counted under the client's key (its IPv4
 * address or IPv6 /64, as the rate limits are), and a refusal for want of a hashing place says
 * when to come back (`Retry-After`; the problem filter writes the body).
 */
export async function loginFromRequest(
  auth: AuthService,
  dto: LoginDto,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<TokenPairView> {
  try {
    return await auth.login(dto.email, dto.password, clientKey(request.ip));
  } catch (err) {
    if (err instanceof DomainError && err.code === ErrorCode.SERVER_BUSY) {
      void reply.header('retry-after', String(err.details.retryAfterSeconds));
    }
    throw err;
  }
}
