import type { ApprovalRequestEntity, ContactEntity, OrganisationEntity } from '@libs/db';
import { DomainError, ErrorCode, STAGES } from '@libs/domain';
import type { ApprovalRequest, Stage, Task } from '@libs/domain';
import type { OrganisationView } from './partnership.dto';

/*
 * Read-model rows as the API answers them, shared by the partnerships and approvals features
 * (neutral ground: neither borrows from the other's service).
 */

/** Tasks per stage, in order, for every stage that has tasks (all but agreed). */
export function groupTasksByStage(tasks: Task[]): Record<Exclude<Stage, 'agreed'>, Task[]> {
  return Object.fromEntries(
    STAGES.filter((s) => s !== 'agreed').map((s) => [s, tasks.filter((t) => t.stage === s)]),
  ) as Record<Exclude<Stage, 'agreed'>, Task[]>;
}

/** An approval request as the read model holds it. */
export function toApprovalRequest(row: ApprovalRequestEntity): ApprovalRequest {
  return {
    id: row.id,
    subject: row.subject,
    status: row.status,
    requestedAt: row.requestedAt.toISOString(),
    deadline: row.deadline.toISOString(),
    requestedBy: row.requestedBy,
    organisations: row.organisations,
    closedAt: row.closedAt ? row.closedAt.toISOString() : null,
    followUps: row.followUps,
    reminderPolicy: row.reminderPolicy,
    snoozedUntil: row.snoozedUntil ? row.snoozedUntil.toISOString() : null,
    escalatedAt: row.escalatedAt ? row.escalatedAt.toISOString() : null,
  };
}

/**
 * A partner organisation with the given contacts (its own, as the caller loaded them); in a
 * partnership's view, those not in `takingPart` do not take part in it (deactivated, or added
 * through another partnership of the organisation).
 */
export function toOrganisationView(
  o: OrganisationEntity,
  contacts: ContactEntity[],
  takingPart?: readonly string[],
): OrganisationView {
  return {
    id: o.id,
    name: o.name,
    region: o.region,
    country: o.country,
    kind: o.kind,
    contacts: contacts.map((c) => ({
      id: c.id,
      name: c.name,
      email: c.email,
      role: c.role,
      language: c.language,
      timeZone: c.timeZone,
      workingHours: c.workingHours,
      active: takingPart ? takingPart.includes(c.id) : true,
    })),
  };
}

export function notFound(id: string): DomainError {
  return new DomainError(ErrorCode.PARTNERSHIP_NOT_FOUND, `No partnership ${id}`, {
    partnershipId: id,
  });
}
