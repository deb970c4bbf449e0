import { Injectable } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import {
  ApprovalRequestEntity,
  ApprovalsRepository,
  ContactEntity,
  OrganisationsRepository,
} from '@libs/db';
import {
  ApprovalDecisionResult,
  ApprovalSubject,
  awaitedApprovers,
  closeApproval,
  ContactProfile,
  decideApproval,
  delegateApproval,
  DomainError,
  ErrorCode,
  EventActor,
  gateRuleOf,
  isUuid,
  NO_CONSENT,
  OrganisationRule,
  organisationRuleOf,
  ReminderPolicy,
} from '@libs/domain';
import type { ApprovalRequest } from '@libs/domain';
import {
  ActorArg,
  decideApprovalUpdate,
  delegateApprovalUpdate,
  requestApprovalUpdate,
  ReviseApprovalArgs,
  reviseApprovalUpdate,
  withdrawApprovalUpdate,
} from '@workflows/partnership/partnership.contract';
import { ReminderPolicyDto } from '../partnerships/follow-up-policy.dto';
import { canonicalJson, sha256Hex } from '../platform/canonical-json';
import { assertIdempotencyKey } from '../platform/idempotency-key';
import { problemFields } from '../platform/problem-fields';
import { PartnershipReadService } from '../partnerships/partnership-read.service';
import { toApprovalRequest } from '../partnerships/partnership-views';
import { CreateApprovalDto, DelegateDto, ReviseApprovalDto } from './approval.dto';
import { PartnershipUpdatesService } from '../partnerships/partnership-updates.service';
import { PageQuery } from '../partnerships/lifecycle.dto';

const APPROVAL_NAMESPACE = '3e0f7c52-1f6b-4c1e-9a3e-5b9d2f0c7a44';

/** Whose Idempotency-Keys these are: each user's keys are their own. */
function actorKey(actor: EventActor): string {
  return actor.kind === 'user' ? `user:${actor.id}` : actor.kind;
}

export interface ApprovalPage {
  items: ApprovalView[];
  page: number;
  pageSize: number;
  total: number;
}

export interface ApprovalView extends ApprovalRequest {
  partnershipId: string;
  /** Contacts still awaited. */
  awaiting: string[];
}

/** Approval requests: asked by coordinators, decided by partner contacts through signed links. */
/** A refusal after which the request does not exist and will not: any but "accepted, not done". */
function refusedOutright(err: unknown): boolean {
  return (
    err instanceof DomainError &&
    !(err.code === ErrorCode.DEPENDENCY_UNAVAILABLE && err.details.cause === 'accepted')
  );
}

@Injectable()
export class ApprovalsService {
  constructor(
    private readonly approvals: ApprovalsRepository,
    private readonly organisations: OrganisationsRepository,
    private readonly read: PartnershipReadService,
    private readonly updates: PartnershipUpdatesService,
  ) {}

  async request(
    actor: EventActor,
    partnershipId: string,
    dto: CreateApprovalDto,
    idempotencyKey?: string,
  ): Promise<ApprovalView> {
    assertIdempotencyKey(idempotencyKey);
    const partnership = await this.read.require(partnershipId);
    const contactsByOrganisation: Record<string, string[]> = {};
    const profiles: Record<string, ContactProfile> = {};
    // Only contacts who take part are approvers (asked by default or by name): not those
    // deactivated, nor those added through another partnership of the organisation.
    const takingPart = new Set(partnership.contactIds ?? []);
    for (const org of partnership.organisations ?? []) {
      contactsByOrganisation[org.id] = (org.contacts ?? [])
        .map((c) => c.id)
        .filter((c) => takingPart.has(c));
      for (const c of org.contacts ?? []) profiles[c.id] = profileOf(c);
    }
    const tasks = await this.read.tasksOf(partnershipId);
    let subject: ApprovalSubject;
    switch (dto.subject.kind) {
      case 'gate':
        subject = {
          kind: 'gate',
          stage: partnership.stage,
          title: `Leave ${partnership.stage.replace(/_/g, ' ')}`,
        };
        break;
      case 'task': {
        const task = tasks.find((t) => t.id === dto.subject.taskId);
        subject = {
          kind: 'task',
          taskId: dto.subject.taskId!,
          title: task?.title ?? dto.subject.taskId!,
        };
        break;
      }
      case 'document':
        subject = {
          kind: 'document',
          title: dto.subject.title!,
          link: dto.subject.link,
          text: dto.subject.text,
        };
        break;
      default: {
        const unknown: never = dto.subject.kind;
        throw new Error(`unknown subject ${String(unknown)}`);
      }
    }
    // A gate request asks each partner as strictly as the stage's rule says, unless told how.
    const gateRule =
      dto.subject.kind === 'gate'
        ? gateRuleOf(await this.read.gateRulesOf(partnership), partnership.stage)
        : NO_CONSENT;
    const defaultRule: OrganisationRule =
      gateRule.consent === 'partners'
        ? organisationRuleOf(gateRule.organisationRule)
        : { kind: 'any' };
    const organisations =
      dto.organisations?.map((o) => ({
        organisationId: o.organisationId.toLowerCase(),
        rule:
          o.rule.kind === 'quorum'
            ? { kind: 'quorum' as const, n: o.rule.n ?? 1 }
            : { kind: o.rule.kind },
        approverContactIds: o.approverContactIds.map((c) => c.toLowerCase()),
      })) ??
      Object.entries(contactsByOrganisation).map(([organisationId, contactIds]) => ({
        organisationId,
        rule: defaultRule,
        approverContactIds: contactIds,
      }));
    const approvalId = idempotencyKey
      ? uuidv5(
          `approvals:${actorKey(actor)}:${partnershipId}:${idempotencyKey}`,
          APPROVAL_NAMESPACE,
        )
      : randomUUID();
    const requestHash = sha256Hex(canonicalJson(dto));
    if (idempotencyKey) {
      // The first body under the key holds it: a retry finds its request, another body is refused.
      if ((await this.approvals.claimKey(approvalId, requestHash)) !== requestHash) {
        throw new DomainError(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          'This Idempotency-Key was already used with a different request body',
        );
      }
      const existing = await this.approvals.find(approvalId);
      if (existing) return toView(existing);
    }
    // Each approver's zone and hours now: their reminders go out in their own working time.
    const approverProfiles = Object.fromEntries(
      organisations
        .flatMap((o) => o.approverContactIds)
        .filter((id) => profiles[id])
        .map((id) => [id, profiles[id]]),
    );
    try {
      await this.update(partnershipId, requestApprovalUpdate, {
        actor,
        approvalId,
        subject,
        deadline: new Date(dto.deadline).toISOString(),
        organisations,
        contactsByOrganisation,
        reminderPolicy: dto.reminderPolicy ? reminderPolicyOf(dto.reminderPolicy) : null,
        approverProfiles,
      });
    } catch (err) {
      // Refused, so nothing was requested: the key is free for another body. Not when the
      // workflow took the request and has not finished it (it will be recorded under the key).
      if (idempotencyKey && refusedOutright(err)) {
        await this.approvals.releaseKey(approvalId, requestHash);
      }
      throw err;
    }
    return this.get(approvalId);
  }

  /** Moves the deadline, sets or clears the request's own reminder policy, or snoozes it. */
  async revise(
    actor: EventActor,
    approvalId: string,
    dto: ReviseApprovalDto,
  ): Promise<ApprovalView> {
    const approval = await this.get(approvalId);
    const args: ReviseApprovalArgs = { actor, approvalId };
    if (dto.deadline !== undefined) args.deadline = new Date(dto.deadline).toISOString();
    if (dto.reminderPolicy !== undefined) {
      args.reminderPolicy = dto.reminderPolicy && reminderPolicyOf(dto.reminderPolicy);
    }
    if (dto.snoozedUntil !== undefined) {
      args.snoozedUntil = dto.snoozedUntil && new Date(dto.snoozedUntil).toISOString();
    }
    await this.updateOrRefuseAsRecorded(
      approvalId,
      (recorded) => closeApproval(recorded, 'withdrawn', new Date().toISOString()),
      () => this.update(approval.partnershipId, reviseApprovalUpdate, args),
    );
    return this.get(approvalId);
  }

  async list(partnershipId: string, query: PageQuery): Promise<ApprovalPage> {
    await this.read.requireRow(partnershipId);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const [rows, total] = await this.approvals.page(partnershipId, (page - 1) * pageSize, pageSize);
    return { items: rows.map(toView), page, pageSize, total };
  }

  async get(approvalId: string): Promise<ApprovalView> {
    const row = isUuid(approvalId) ? await this.approvals.find(approvalId) : null;
    if (!row)
      throw new DomainError(ErrorCode.APPROVAL_NOT_FOUND, `No approval request ${approvalId}`);
    return toView(row);
  }

  async withdraw(actor: EventActor, approvalId: string): Promise<ApprovalView> {
    const approval = await this.get(approvalId);
    await this.updateOrRefuseAsRecorded(
      approvalId,
      (recorded) => closeApproval(recorded, 'withdrawn', new Date().toISOString()),
      () => this.update(approval.partnershipId, withdrawApprovalUpdate, { actor, approvalId }),
    );
    return this.get(approvalId);
  }

  async delegate(actor: EventActor, approvalId: string, dto: DelegateDto): Promise<ApprovalView> {
    const approval = await this.get(approvalId);
    const to = await this.organisations.findContact(dto.toContactId.toLowerCase());
    const args = {
      actor,
      approvalId,
      fromContactId: dto.fromContactId.toLowerCase(),
      toContactId: dto.toContactId.toLowerCase(),
      toOrganisationId: to?.organisationId ?? '',
      toProfile: to ? profileOf(to) : undefined,
    };
    await this.updateOrRefuseAsRecorded(
      approvalId,
      (recorded) => delegateApproval(recorded, args),
      () => this.update(approval.partnershipId, delegateApprovalUpdate, args),
    );
    return this.get(approvalId);
  }

  /** A partner contact's decision (from a verified link); exactly once. */
  async decide(
    approvalId: string,
    contactId: string,
    outcome: 'approved' | 'rejected',
    comment: string | undefined,
    actor: EventActor,
  ): Promise<ApprovalView> {
    const approval = await this.get(approvalId);
    await this.updateOrRefuseAsRecorded(
      approvalId,
      (recorded) =>
        decideApproval(recorded, { contactId, outcome, comment }, new Date().toISOString()),
      () =>
        this.update(approval.partnershipId, decideApprovalUpdate, {
          actor,
          approvalId,
          contactId,
          outcome,
          comment,
        }),
    );
    return this.get(approvalId);
  }

  /**
   * Sends a change of one request. The workflow carries pending requests only: one that closed
   * and reached PostgreSQL it answers `APPROVAL_NOT_FOUND`. Such a call is refused as before,
   * by the rule book applied to the request as PostgreSQL records it (`APPROVAL_CLOSED`,
   * `NOT_AN_APPROVER`… with `recorded`).
   */
  private async updateOrRefuseAsRecorded(
    approvalId: string,
    rule: (recorded: ApprovalRequest) => ApprovalDecisionResult,
    send: () => Promise<void>,
  ): Promise<void> {
    try {
      await send();
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== ErrorCode.APPROVAL_NOT_FOUND) throw err;
      const row = await this.approvals.find(approvalId);
      const result = row && row.status !== 'pending' ? rule(toApprovalRequest(row)) : undefined;
      if (!result || result.ok) throw err;
      throw new DomainError(result.rejection.code as ErrorCode, result.rejection.message, {
        recorded: result.rejection.recorded ?? null,
      });
    }
  }

  private async update<A extends ActorArg>(
    partnershipId: string,
    update: UpdateDefinition<unknown, [A], string>,
    args: A,
  ): Promise<void> {
    try {
      await this.updates.execute(partnershipId, update, args);
    } catch (err) {
      if (
        err instanceof DomainError &&
        err.code === ErrorCode.INVALID_APPROVAL_REQUEST &&
        Array.isArray(err.details.problems)
      ) {
        // Name the request's fields the problems are about (deadline, reminderPolicy.maxReminders…).
        err.details.errors = problemFields(err.details.problems, approvalField);
      }
      throw err;
    }
  }
}

const REMINDER_POLICY_FIELDS = new Set<string>([
  'firstAfterWorkingMinutes',
  'repeatEveryWorkingMinutes',
  'maxReminders',
  'escalate',
]);

/** The request field a rule-book problem names ("snoozedUntil must be …"), if any. */
function approvalField(head: string): string | undefined {
  if (head === 'deadline' || head === 'snoozedUntil') return head;
  if (REMINDER_POLICY_FIELDS.has(head)) return `reminderPolicy.${head}`;
  return undefined;
}

function profileOf(contact: ContactEntity): ContactProfile {
  return { timeZone: contact.timeZone, workingHours: contact.workingHours };
}

/** The four fields only (a DTO instance carries nothing else, but say so). */
function reminderPolicyOf(dto: ReminderPolicyDto): ReminderPolicy {
  const { firstAfterWorkingMinutes, repeatEveryWorkingMinutes, maxReminders, escalate } = dto;
  return { firstAfterWorkingMinutes, repeatEveryWorkingMinutes, maxReminders, escalate };
}

export function toView(row: ApprovalRequestEntity): ApprovalView {
  const request = toApprovalRequest(row);
  return { ...request, partnershipId: row.partnershipId, awaiting: awaitedApprovers(request) };
}
