import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import * as column from './columns';
import type { MemberRole } from '../../domain';

/**
 * Who may see a partnership, and who may act on it: its coordinators and observers. Admins see
 * every partnership without a row here. Written by the API (access control is not process state),
 * never by the workflow. No foreign key to `partnerships`: the creator's row is written before the
 * workflow records the partnership, so the creator can follow a `202` at once. Users are disabled,
 * never deleted, so `user_id` keeps pointing at someone.
 */
@Entity({ name: 'partnership_members' })
@Index('IDX_partnership_members_user', ['userId'])
export class PartnershipMemberEntity {
  @PrimaryColumn({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @column.Text() role: MemberRole;

  @CreateDateColumn({ name: 'added_at', type: 'timestamptz' })
  addedAt: Date;

  /** The user who added this member (null for the creator). */
  @column.Uuid({ name: 'added_by', nullable: true }) addedBy: string | null;
}
