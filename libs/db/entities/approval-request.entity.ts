import { Entity, Index, PrimaryColumn } from 'typeorm';
import * as column from './columns';
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
  @PrimaryColumn('uuid') id: string;

  @column.Uuid({ name: 'partnership_id' }) partnershipId: string;

  @column.Json() subject: ApprovalSubject;

  @column.Text() status: ApprovalStatus;

  @column.Timestamp({ name: 'requested_at' }) requestedAt: Date;

  @column.Timestamp() deadline: Date;

  @column.Timestamp({ name: 'closed_at', nullable: true }) closedAt: Date | null;

  @column.Json({ name: 'requested_by' }) requestedBy: { name?: string; email?: string };

  /** Organisations with their rule, approvers and each approver's decision. */
  @column.Json() organisations: OrganisationApproval[];

  /** Followed up by reminders (requests made since follow-ups exist). */
  @column.Bool({ name: 'follow_ups', default: false }) followUps: boolean;

  /** The request's own reminder policy; null follows the partnership's. */
  @column.Json({ name: 'reminder_policy', nullable: true }) reminderPolicy: ReminderPolicy | null;

  @column.Timestamp({ name: 'snoozed_until', nullable: true }) snoozedUntil: Date | null;

  @column.Timestamp({ name: 'escalated_at', nullable: true }) escalatedAt: Date | null;

  @column.Integer({ name: 'updated_sequence' }) updatedSequence: number;
}
