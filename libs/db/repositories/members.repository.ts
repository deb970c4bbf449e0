import type { DataSource } from 'typeorm';
import type { MemberRole, UserRole } from '../../domain';
import { PartnershipMemberEntity } from '../entities/partnership-member.entity';
import { rows, type SqlRunner } from './sql';

/** A member with their account, as the members list shows them. */
export interface MemberRow {
  user_id: string;
  name: string;
  email: string;
  role: MemberRole;
  account_role: UserRole;
  added_at: Date;
  added_by: string | null;
}

/** Who coordinates and who observes which partnership (`partnership_members`). */
export class MembersRepository {
  constructor(private readonly db: DataSource) {}

  /** The user's membership of the partnership, if any. */
  find(partnershipId: string, userId: string): Promise<PartnershipMemberEntity | null> {
    return this.db.getRepository(PartnershipMemberEntity).findOneBy({ partnershipId, userId });
  }

  /** The members with their accounts, in the order they were added. */
  list(partnershipId: string): Promise<MemberRow[]> {
    return rows<MemberRow>(
      this.db,
      `SELECT m.user_id, u.name, u.email, m.role, u.role AS account_role, m.added_at, m.added_by
         FROM partnership_members m JOIN users u ON u.id = m.user_id
        WHERE m.partnership_id = $1
        ORDER BY m.added_at, u.email`,
      [partnershipId],
    );
  }

  /** The creator coordinates the partnership; a retried create changes nothing. */
  async addCreator(partnershipId: string, userId: string): Promise<void> {
    await this.db
      .getRepository(PartnershipMemberEntity)
      .createQueryBuilder()
      .insert()
      .values({ partnershipId, userId, role: 'coordinator', addedBy: null })
      .orIgnore()
      .execute();
  }

  /** Adds the member, or changes their role, in the caller's transaction. */
  async set(
    m: SqlRunner,
    member: { partnershipId: string; userId: string; role: MemberRole; addedBy: string },
  ): Promise<void> {
    await m.query(
      `INSERT INTO partnership_members (partnership_id, user_id, role, added_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (partnership_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
      [member.partnershipId, member.userId, member.role, member.addedBy],
    );
  }

  /** Removes the member in the caller's transaction; false when they were none. */
  async remove(m: SqlRunner, partnershipId: string, userId: string): Promise<boolean> {
    // TypeORM answers [rows, count] for a bare DELETE.
    const [, removed] = (await m.query(
      'DELETE FROM partnership_members WHERE partnership_id = $1 AND user_id = $2',
      [partnershipId, userId],
    )) as [unknown, number];
    return removed > 0;
  }
}
