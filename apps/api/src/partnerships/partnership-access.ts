import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApprovalsRepository, MembersRepository } from '@libs/db';
import {
  AuthUser,
  DomainError,
  ErrorCode,
  EventActor,
  isUuid,
  partnershipAccess,
  PartnershipAccess,
} from '@libs/domain';

export const PARTNERSHIP_ACCESS = 'entente:partnership-access';

/** What a route needs on the partnership it names. */
export interface PartnershipRouteRule {
  need: 'read' | 'act';
  /** The route parameter holding the partnership id, or `approvalId` for approval routes. */
  from: 'id' | 'approvalId';
}

/**
 * The route reads (`read`) or changes (`act`) the partnership in its `:id` parameter. A caller
 * who may not see it gets `404`, exactly as if it did not exist; one who may see but not act
 * gets `403`.
 */
export const PartnershipRoute = (need: 'read' | 'act'): MethodDecorator =>
  SetMetadata(PARTNERSHIP_ACCESS, { need, from: 'id' } satisfies PartnershipRouteRule);

/** The same, for routes that name an approval request (`:approvalId`): its partnership counts. */
export const ApprovalRoute = (need: 'read' | 'act'): MethodDecorator =>
  SetMetadata(PARTNERSHIP_ACCESS, { need, from: 'approvalId' } satisfies PartnershipRouteRule);

/** Who did it, for the timeline: the signed-in user. */
export function actorOf(user: AuthUser): EventActor {
  return { kind: 'user', id: user.id, name: user.name, email: user.email };
}

/** Memberships: who may see and act on which partnership. */
@Injectable()
export class PartnershipAccessService {
  constructor(
    private readonly members: MembersRepository,
    private readonly approvals: ApprovalsRepository,
  ) {}

  async accessTo(user: AuthUser, partnershipId: string): Promise<PartnershipAccess> {
    if (user.role === 'admin') return 'act';
    if (!isUuid(partnershipId)) return 'none';
    const member = await this.members.find(partnershipId, user.id);
    return partnershipAccess(user, member?.role ?? null);
  }

  /** Throws 404 (cannot see) or 403 (can see, cannot act); the partnership's existence is not checked. */
  async require(user: AuthUser, partnershipId: string, need: 'read' | 'act'): Promise<void> {
    refuseUnless(
      await this.accessTo(user, partnershipId),
      need,
      () => new DomainError(ErrorCode.PARTNERSHIP_NOT_FOUND, `No partnership ${partnershipId}`),
    );
  }

  /**
   * The same for an approval request, through its partnership: 404 as if the request did not
   * exist when its partnership is invisible to the caller.
   */
  async requireApproval(user: AuthUser, approvalId: string, need: 'read' | 'act'): Promise<void> {
    const partnershipId = isUuid(approvalId)
      ? await this.approvals.partnershipIdOf(approvalId)
      : undefined;
    const access = partnershipId ? await this.accessTo(user, partnershipId) : 'none';
    refuseUnless(
      access,
      need,
      () => new DomainError(ErrorCode.APPROVAL_NOT_FOUND, `No approval request ${approvalId}`),
    );
  }

  /** Whose memberships limit a list: the user's own, or undefined for an admin (all). */
  listScope(user: AuthUser): string | undefined {
    return user.role === 'admin' ? undefined : user.id;
  }

  /** The creator coordinates the partnership; a retried create changes nothing. */
  async addCreator(partnershipId: string, userId: string): Promise<void> {
    await this.members.addCreator(partnershipId, userId);
  }
}

function refuseUnless(
  access: PartnershipAccess,
  need: 'read' | 'act',
  notFound: () => DomainError,
): void {
  if (access === 'none') throw notFound();
  if (need === 'act' && access !== 'act') {
    throw new DomainError(
      ErrorCode.FORBIDDEN,
      'You may see this partnership but not change it: ask one of its coordinators',
    );
  }
}

/**
 * Applies `@PartnershipRoute` / `@ApprovalRoute` after authentication. Registered as a global
 * guard after the authentication guard, so `request.user` is set when it runs.
 */
@Injectable()
export class PartnershipAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: PartnershipAccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.get<PartnershipRouteRule | undefined>(
      PARTNERSHIP_ACCESS,
      context.getHandler(),
    );
    if (!rule) return true;
    const request = context
      .switchToHttp()
      .getRequest<{ user?: AuthUser; params: Record<string, string> }>();
    if (!request.user) {
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Sign in first');
    }
    const param = request.params[rule.from] ?? '';
    if (rule.from === 'approvalId') {
      await this.access.requireApproval(request.user, param, rule.need);
    } else {
      await this.access.require(request.user, param, rule.need);
    }
    return true;
  }
}
