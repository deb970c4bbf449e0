import type { DataSource } from 'typeorm';
import type { ApprovalRequest, ApprovalSubject, OrganisationApproval } from '../../domain';
import { ApprovalRequestEntity } from '../entities/approval-request.entity';
import { rows, type SqlRunner } from './sql';

/** An approval request as its e-mail tells it, with its partnership's title. */
export interface ApprovalToMail {
  id: string;
  subject: ApprovalSubject;
  deadline: Date;
  requested_by: { name?: string; email?: string };
  partnership_title: string;
  coordinator_name: string;
}

/** An approval request as a follow-up e-mail needs it: its state too. */
export interface ApprovalToFollowUp {
  id: string;
  status: string;
  subject: ApprovalSubject;
  deadline: Date;
  requested_by: { name?: string };
  organisations: OrganisationApproval[];
  partnership_title: string;
}

/**
 * Approval requests as the partnership workflows project them (`approval_requests`): written by
 * the projection only, read by the API, the board and the e-mails.
 */
export class ApprovalsRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Upserts approval requests from a snapshot in the projection's transaction; a row already at
   * a newer sequence is left alone.
   */
  async upsertFromSnapshot(
    m: SqlRunner,
    partnershipId: string,
    approvals: ApprovalRequest[],
    sequence: number,
  ): Promise<void> {
    if (approvals.length === 0) return;
    await m.query(
      `INSERT INTO approval_requests (id, partnership_id, subject, status, requested_at, deadline, closed_at,
                                    requested_by, organisations, follow_ups, reminder_policy, snoozed_until,
                                    escalated_at, updated_sequence)
     SELECT a.id, $1, a.subject, a.status, a.requested_at, a.deadline, a.closed_at, a.requested_by,
            a.organisations, COALESCE(a.follow_ups, false), a.reminder_policy, a.snoozed_until, a.escalated_at, $3
       FROM jsonb_to_recordset($2::jsonb) AS a(id uuid, subject jsonb, status text, requested_at timestamptz,
            deadline timestamptz, closed_at timestamptz, requested_by jsonb, organisations jsonb,
            follow_ups boolean, reminder_policy jsonb, snoozed_until timestamptz, escalated_at timestamptz)
     ON CONFLICT (id) DO UPDATE
        SET status = EXCLUDED.status, closed_at = EXCLUDED.closed_at, organisations = EXCLUDED.organisations,
            deadline = EXCLUDED.deadline, reminder_policy = EXCLUDED.reminder_policy,
            snoozed_until = EXCLUDED.snoozed_until, escalated_at = EXCLUDED.escalated_at,
            updated_sequence = EXCLUDED.updated_sequence
      WHERE approval_requests.updated_sequence < EXCLUDED.updated_sequence`,
      [
        partnershipId,
        JSON.stringify(
          approvals.map((a) => ({
            id: a.id,
            subject: a.subject,
            status: a.status,
            requested_at: a.requestedAt,
            deadline: a.deadline,
            closed_at: a.closedAt,
            requested_by: a.requestedBy,
            organisations: a.organisations,
            follow_ups: a.followUps ?? false,
            reminder_policy: a.reminderPolicy ?? null,
            snoozed_until: a.snoozedUntil ?? null,
            escalated_at: a.escalatedAt ?? null,
          })),
        ),
        sequence,
      ],
    );
  }

  /**
   * Claims the Idempotency-Key behind `approvalId` for a body hashing to `requestHash`, unless
   * a request claimed it first; answers the hash of the body that holds the claim.
   */
  async claimKey(approvalId: string, requestHash: string): Promise<string> {
    const [row] = await rows<{ request_hash: string }>(
      this.db,
      `WITH claimed AS (
         INSERT INTO approval_request_keys (approval_id, request_hash) VALUES ($1, $2)
         ON CONFLICT (approval_id) DO NOTHING
         RETURNING request_hash
       )
       SELECT request_hash FROM claimed
       UNION ALL
       SELECT request_hash FROM approval_request_keys WHERE approval_id = $1
       LIMIT 1`,
      [approvalId, requestHash],
    );
    if (row) return row.request_hash;
    // A concurrent claim committed after this statement's snapshot was taken: read it now.
    const [winner] = await rows<{ request_hash: string }>(
      this.db,
      'SELECT request_hash FROM approval_request_keys WHERE approval_id = $1',
      [approvalId],
    );
    return winner.request_hash;
  }

  /**
   * Gives up a claim the workflow refused: the key held by `requestHash` is free again unless a
   * request exists under it (the workflow took it after all). Answers whether it was released.
   */
  async releaseKey(approvalId: string, requestHash: string): Promise<boolean> {
    const released = await rows<{ approval_id: string }>(
      this.db,
      `DELETE FROM approval_request_keys
        WHERE approval_id = $1 AND request_hash = $2
          AND NOT EXISTS (SELECT 1 FROM approval_requests WHERE id = $1)
        RETURNING approval_id`,
      [approvalId, requestHash],
    );
    return released.length > 0;
  }

  find(id: string): Promise<ApprovalRequestEntity | null> {
    return this.db.getRepository(ApprovalRequestEntity).findOneBy({ id });
  }

  /** The partnership the request belongs to, if the request exists. */
  async partnershipIdOf(id: string): Promise<string | undefined> {
    const row = await this.db
      .getRepository(ApprovalRequestEntity)
      .findOne({ where: { id }, select: ['partnershipId'] });
    return row?.partnershipId;
  }

  /** The partnership's requests in the order they were made (the gate looks at the latest). */
  ofPartnership(partnershipId: string): Promise<ApprovalRequestEntity[]> {
    return this.db.getRepository(ApprovalRequestEntity).find({
      where: { partnershipId },
      order: { requestedAt: 'ASC' },
    });
  }

  /** A page of the partnership's requests, oldest first. */
  page(
    partnershipId: string,
    skip: number,
    take: number,
  ): Promise<[ApprovalRequestEntity[], number]> {
    return this.db.getRepository(ApprovalRequestEntity).findAndCount({
      where: { partnershipId },
      order: { requestedAt: 'ASC', id: 'ASC' },
      skip,
      take,
    });
  }

  /** The pending requests of these partnerships, oldest first. */
  pendingOf(
    partnershipIds: string[],
  ): Promise<{ partnership_id: string; organisations: OrganisationApproval[] }[]> {
    return rows(
      this.db,
      `SELECT a.partnership_id, a.organisations FROM approval_requests a
        WHERE a.partnership_id = ANY($1::uuid[]) AND a.status = 'pending'
        ORDER BY a.requested_at, a.id`,
      [partnershipIds],
    );
  }

  /** The request an approval e-mail asks about. */
  async toMail(approvalId: string, partnershipId: string): Promise<ApprovalToMail | undefined> {
    const [approval] = await rows<ApprovalToMail>(
      this.db,
      `SELECT a.id, a.subject, a.deadline, a.requested_by, p.title AS partnership_title, p.coordinator_name
           FROM approval_requests a JOIN partnerships p ON p.id = a.partnership_id
          WHERE a.id = $1 AND a.partnership_id = $2`,
      [approvalId, partnershipId],
    );
    return approval;
  }

  /** The request a reminder, an escalation or a closing e-mail is about. */
  async toFollowUp(
    approvalId: string,
    partnershipId: string,
  ): Promise<ApprovalToFollowUp | undefined> {
    const [row] = await rows<ApprovalToFollowUp>(
      this.db,
      `SELECT a.id, a.status, a.subject, a.deadline, a.requested_by, a.organisations,
              p.title AS partnership_title
         FROM approval_requests a JOIN partnerships p ON p.id = a.partnership_id
        WHERE a.id = $1 AND a.partnership_id = $2`,
      [approvalId, partnershipId],
    );
    return row;
  }
}
