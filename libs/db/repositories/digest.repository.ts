import type { DataSource } from 'typeorm';
import type { Language, OrganisationApproval, PartnershipStatus, Stage } from '../../domain';
import { overdueSinceSql } from './read-model-sql';
import { rows } from './sql';

/** A coordinator who gets the weekly digest. */
export interface DigestRecipientRow {
  id: string;
  name: string;
  email: string;
  language: Language | null;
  /** Null: the configured default (COORDINATOR_TIME_ZONE). */
  time_zone: string | null;
}

/** A partnership a recipient is a member of (coordinator or observer), not closed. */
export interface DigestMembershipRow {
  user_id: string;
  partnership_id: string;
  title: string;
  stage: Stage;
  status: PartnershipStatus;
}

export interface DigestAdvanceRow {
  partnership_id: string;
  to_stage: Stage;
  occurred_at: Date;
}

export interface DigestPendingApprovalRow {
  partnership_id: string;
  organisations: OrganisationApproval[];
}

export interface DigestAssignedTaskRow {
  partnership_id: string;
  organisation_id: string;
}

export interface DigestOverdueTaskRow {
  partnership_id: string;
  task_id: string;
  title: string;
  source: 'template' | 'custom';
  due_date: string;
}

/**
 * What the weekly digest reads (docs/digest.md): one statement per concern, each over every
 * partnership of the run's recipients at once (never one per partnership).
 */
export class DigestRepository {
  constructor(private readonly db: DataSource) {}

  /** Coordinators who have not turned the digest off, and are not disabled. */
  recipients(): Promise<DigestRecipientRow[]> {
    return rows<DigestRecipientRow>(
      this.db,
      `SELECT id, name, email, language, time_zone FROM users
        WHERE role = 'coordinator' AND NOT disabled AND weekly_digest
        ORDER BY id`,
    );
  }

  /** The partnerships each of `userIds` is a member of, but closed ones; by title. */
  memberships(userIds: string[]): Promise<DigestMembershipRow[]> {
    return rows<DigestMembershipRow>(
      this.db,
      `SELECT m.user_id, p.id AS partnership_id, p.title, p.stage, p.status
         FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id
        WHERE m.user_id = ANY($1::uuid[]) AND p.status <> 'closed'
        ORDER BY p.title, p.id`,
      [userIds],
    );
  }

  /** Stages entered forward (`stage.advanced`, agreement included) in [from, to), oldest first. */
  advances(partnershipIds: string[], from: Date, to: Date): Promise<DigestAdvanceRow[]> {
    return rows<DigestAdvanceRow>(
      this.db,
      `SELECT e.partnership_id, e.payload->>'to' AS to_stage, e.occurred_at
         FROM partnership_events e
        WHERE e.partnership_id = ANY($1::uuid[]) AND e.type = 'stage.advanced'
          AND e.occurred_at >= $2 AND e.occurred_at < $3
        ORDER BY e.occurred_at, e.partnership_id, e.sequence`,
      [partnershipIds, from, to],
    );
  }

  /** Approval requests still pending, with each organisation's approvers and decisions. */
  pendingApprovals(partnershipIds: string[]): Promise<DigestPendingApprovalRow[]> {
    return rows<DigestPendingApprovalRow>(
      this.db,
      `SELECT a.partnership_id, a.organisations FROM approval_requests a
        WHERE a.partnership_id = ANY($1::uuid[]) AND a.status = 'pending'
        ORDER BY a.requested_at, a.id`,
      [partnershipIds],
    );
  }

  /** Open tasks assigned to a partner contact, by the contact's organisation. */
  assignedTasks(partnershipIds: string[]): Promise<DigestAssignedTaskRow[]> {
    return rows<DigestAssignedTaskRow>(
      this.db,
      `SELECT t.partnership_id, c.organisation_id
         FROM partnership_tasks t JOIN contacts c ON c.id = t.assignee_contact_id
        WHERE t.partnership_id = ANY($1::uuid[]) AND t.status = 'open'
        ORDER BY t.partnership_id, t.stage, t.position`,
      [partnershipIds],
    );
  }

  /**
   * Open tasks overdue at `at`: past their due date in their assignee's zone (else the
   * partnership's coordinator's, else `defaultZone`), as the board and my-work count them.
   */
  overdueTasks(
    partnershipIds: string[],
    at: Date,
    defaultZone: string,
  ): Promise<DigestOverdueTaskRow[]> {
    return rows<DigestOverdueTaskRow>(
      this.db,
      `SELECT t.partnership_id, t.id AS task_id, t.title, t.source, t.due_date::text AS due_date
         FROM partnership_tasks t JOIN partnerships p ON p.id = t.partnership_id
         LEFT JOIN contacts c ON c.id = t.assignee_contact_id
        WHERE t.partnership_id = ANY($1::uuid[])
          AND ${overdueSinceSql('t', 'p', 'c', '$3', '$2::timestamptz')} IS NOT NULL
        ORDER BY t.due_date, t.partnership_id, t.stage, t.position`,
      [partnershipIds, at, defaultZone],
    );
  }

  /** Organisations' names by id. */
  async organisationNames(ids: string[]): Promise<Map<string, string>> {
    const found = await rows<{ id: string; name: string }>(
      this.db,
      `SELECT id, name FROM organisations WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(found.map((r) => [r.id, r.name]));
  }
}
