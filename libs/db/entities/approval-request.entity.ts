import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type {
  ApprovalStatus,
  ApprovalSubject,
  OrganisationApproval,
  ReminderPolicy,
} from '../../domain';

/** Projection of approval requests, written only by the partnership workflow's activities. */
@Entity({ name: 'approval_requests' })
@Index('IDX_approval_requests_partnership', ['partnershipId', 'requestedAt'])
export class ApprovalRequestEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'partnership_id', type: 'uuid' })
  partnershipId: string;

  @Column({ type: 'jsonb' })
  subject: ApprovalSubject;

  @Column({ type: 'text' })
  status: ApprovalStatus;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column({ type: 'timestamptz' })
  deadline: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'requested_by', type: 'jsonb' })
  requestedBy: { name?: string; email?: string };

  /** Organisations with their rule, approvers and each approver's decision. */
  @Column({ type: 'jsonb' })
  organisations: OrganisationApproval[];

  /** Followed up by reminders (requests made since follow-ups exist). */
  @Column({ name: 'follow_ups', type: 'boolean', default: false })
  followUps: boolean;

  /** The request's own reminder policy; null follows the partnership's. */
  @Column({ name: 'reminder_policy', type: 'jsonb', nullable: true })
  reminderPolicy: ReminderPolicy | null;

  @Column({ name: 'snoozed_until', type: 'timestamptz', nullable: true })
  snoozedUntil: Date | null;

  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true })
  escalatedAt: Date | null;

  @Column({ name: 'updated_sequence', type: 'integer' })
  updatedSequence: number;
}
