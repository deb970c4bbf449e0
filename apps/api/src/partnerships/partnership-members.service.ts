import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MemberRow, MembersRepository, UsersRepository } from '@libs/db';
import { AuthUser, DomainError, ErrorCode, isUuid, MemberRole } from '@libs/domain';
import { audit } from '../platform/audit';
import { MemberView } from './partnership-members.dto';
import { PartnershipReadService } from './partnership-read.service';

/**
 * A partnership's members. Coordinators act on it, observers read it; admins see every
 * partnership without being members. Each change is written to the audit log with its actor.
 */
@Injectable()
export class PartnershipMembersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly members: MembersRepository,
    private readonly users: UsersRepository,
    private readonly read: PartnershipReadService,
  ) {}

  async list(partnershipId: string): Promise<MemberView[]> {
    await this.read.requireRow(partnershipId);
    const rows = await this.members.list(partnershipId);
    return rows.map(toView);
  }

  async set(
    by: AuthUser,
    partnershipId: string,
    userId: string,
    role: MemberRole,
  ): Promise<MemberView> {
    await this.read.requireRow(partnershipId);
    const user = isUuid(userId) ? await this.users.roleOf(userId) : undefined;
    if (!user) throw new DomainError(ErrorCode.USER_NOT_FOUND, `No user ${userId}`);
    if (user.role === 'observer' && role === 'coordinator') {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'An observer account can only observe', {
        errors: [{ field: 'role', messages: ['an observer account can only be an observer'] }],
      });
    }
    await this.dataSource.transaction(async (tx) => {
      await this.members.set(tx, { partnershipId, userId, role, addedBy: by.id });
      await audit(tx, by, 'partnership.member_set', partnershipId, {
        userId,
        role,
      });
    });
    return (await this.list(partnershipId)).find((m) => m.userId === userId)!;
  }

  async remove(by: AuthUser, partnershipId: string, userId: string): Promise<void> {
    await this.read.requireRow(partnershipId);
    await this.dataSource.transaction(async (tx) => {
      const removed = isUuid(userId) && (await this.members.remove(tx, partnershipId, userId));
      if (!removed) {
        throw new DomainError(ErrorCode.MEMBER_NOT_FOUND, `${userId} is not a member`);
      }
      await audit(tx, by, 'partnership.member_removed', partnershipId, { userId });
    });
  }
}

function toView(row: MemberRow): MemberView {
  return {
    userId: row.user_id,
    name: row.name,
    email: row.email,
    role: row.role,
    accountRole: row.account_role,
    addedAt: new Date(row.added_at).toISOString(),
    addedBy: row.added_by,
  };
}
