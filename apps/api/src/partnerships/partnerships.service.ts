import { Injectable, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { calendarSnapshots, coordinatorCalendarSnapshot } from '@libs/calendars';
import { AppConfig, followUpDefaults } from '@libs/config';
import { OrganisationsRepository, TemplatesRepository } from '@libs/db';
import {
  AuthUser,
  DEFAULT_WORKING_HOURS,
  workflowTemplateOf,
  DomainError,
  ErrorCode,
  FollowUpPolicy,
  followUpPolicyProblems,
  isUuid,
  mergeFollowUpPolicy,
  WorkingCalendar,
} from '@libs/domain';
import { TemporalClient } from '@libs/temporal';
import {
  awaitRecordedUpdate,
  getLiveStateQuery,
  OrganisationInput,
  PARTNERSHIP_TASK_QUEUE,
  PartnershipSearchAttributes,
  partnershipWorkflowId,
  PartnershipWorkflowInput,
} from '@workflows/partnership/partnership.contract';
import type { partnershipWorkflow } from '@workflows/partnership/partnership.workflow';
import { OrganisationsService } from '../organisations/organisations.service';
import { canonicalJson, sha256Hex } from '../platform/canonical-json';
import { assertIdempotencyKey } from '../platform/idempotency-key';
import { toFollowUpPolicyPatch } from './follow-up-policy.dto';
import { CreatePartnershipDto, PartnershipView } from './partnership.dto';
import { problemFields } from '../platform/problem-fields';
import { PartnershipFollowUpsService } from './partnership-follow-ups.service';
import { PartnershipReadService } from './partnership-read.service';
import { groupTasksByStage, notFound } from './partnership-views';
import { actorOf, PartnershipAccessService } from './partnership-access';
import { PartnershipUpdatesService } from './partnership-updates.service';

/** Namespace for ids derived from Idempotency-Keys (uuid v5), fixed forever. */
const IDEMPOTENCY_NAMESPACE = '0b6c3f8e-4f6a-4c59-9d55-3f0e7b8a2c11';

export interface CreateResult {
  /** 201 once recorded; 202 when the workflow took the request but has not recorded it yet. */
  status: 201 | 202;
  partnership: PartnershipView;
}

@Injectable()
export class PartnershipsService {
  private readonly logger = new Logger(PartnershipsService.name);

  constructor(
    private readonly read: PartnershipReadService,
    private readonly followUps: PartnershipFollowUpsService,
    private readonly access: PartnershipAccessService,
    private readonly organisations: OrganisationsService,
    private readonly partners: OrganisationsRepository,
    private readonly templates: TemplatesRepository,
    private readonly temporal: TemporalClient,
    private readonly updates: PartnershipUpdatesService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Starts the partnership's workflow. The same Idempotency-Key always maps to the same
   * partnership id and so the same workflow id; the conflict policy attaches to the running
   * workflow instead of starting a second one, and the workflow refuses a different body.
   */
  async create(
    dto: CreatePartnershipDto,
    user: AuthUser,
    idempotencyKey?: string,
  ): Promise<CreateResult> {
    assertIdempotencyKey(idempotencyKey);
    const followUpPolicy = this.followUpPolicyOf(dto);
    // The whole body, follow-up policy included: the same key with another policy is refused.
    const requestHash = sha256Hex(canonicalJson(dto));
    // Keys are per user: another user's key can never lead to (or reveal) this partnership.
    const partnershipId = idempotencyKey
      ? uuidv5(`partnerships:${user.id}:${idempotencyKey}`, IDEMPOTENCY_NAMESPACE)
      : randomUUID();
    const organisations = await this.resolveOrganisations(dto, user);
    const existingIds = organisations.filter((o) => !o.isNew).map((o) => o.id);
    const contactIds = [
      ...(await this.partners.contactIdsOf(existingIds)),
      ...organisations.flatMap((o) => o.contacts.map((c) => c.id)),
    ];
    const template = await this.currentTemplate();
    // Existing organisations bring the closures their admin set; new ones have none yet.
    const closures = await this.partners.closuresOf(existingIds);
    const input: PartnershipWorkflowInput = {
      partnershipId,
      title: dto.title.trim(),
      areas: (dto.areas ?? []).map((a) => a.trim()),
      coordinator: {
        name: dto.coordinator.name.trim(),
        email: dto.coordinator.email.toLowerCase(),
      },
      organisations,
      requestHash,
      requestedAt: new Date().toISOString(),
      actor: actorOf(user),
      template,
      contactIds,
      followUpPolicy,
      // Follow-ups count in each partner's working calendar (holidays, adjusted working days).
      calendars: calendarSnapshots(
        organisations.map((o) => ({ ...o, closures: closures.get(o.id) ?? [] })),
        new Date(),
      ),
      // The coordinator's own holidays, where the policy says they work.
      ...withCoordinatorCalendar(
        coordinatorCalendarSnapshot(followUpPolicy.coordinator, new Date()),
      ),
    };
    const workflowId = partnershipWorkflowId(partnershipId);
    // The creator coordinates it from the first moment (before the workflow records it), but
    // only when this call starts it: a replayed key of a partnership that exists adds no one,
    // since its creator may have been removed since. A call that added the creator and failed
    // before the start is retried as a start, so the creator cannot be lost either.
    const replay = idempotencyKey !== undefined && (await this.alreadyStarted(partnershipId));
    if (replay) {
      // Answers as a read would: a removed creator learns nothing through an old key.
      await this.access.require(user, partnershipId, 'read');
    } else {
      await this.access.addCreator(partnershipId, user.id);
    }
    try {
      await this.temporal.workflow.start<typeof partnershipWorkflow>('partnershipWorkflow', {
        workflowId,
        taskQueue: PARTNERSHIP_TASK_QUEUE,
        args: [{ kind: 'new', input }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: PartnershipSearchAttributes.id, value: partnershipId },
          { key: PartnershipSearchAttributes.stage, value: 'introduction' },
          { key: PartnershipSearchAttributes.status, value: 'active' },
          { key: PartnershipSearchAttributes.coordinator, value: input.coordinator.email },
          { key: PartnershipSearchAttributes.organisations, value: organisations.map((o) => o.id) },
        ],
      });
    } catch (err) {
      // A closed workflow with this id: the key was used, and the partnership has ended since.
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        return { status: 201, partnership: await this.get(partnershipId) };
      }
      throw err;
    }
    const recorded = await this.awaitRecorded(partnershipId, requestHash);
    if (!recorded) {
      return { status: 202, partnership: await this.get(partnershipId) };
    }
    return { status: 201, partnership: await this.get(partnershipId) };
  }

  /** Whether a partnership with this id was started before: recorded, or its workflow known. */
  private async alreadyStarted(partnershipId: string): Promise<boolean> {
    if (await this.read.find(partnershipId)) return true;
    try {
      await this.temporal.workflow.getHandle(partnershipWorkflowId(partnershipId)).describe();
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  async get(id: string): Promise<PartnershipView> {
    if (!isUuid(id)) throw notFound(id);
    const row = await this.read.find(id);
    if (row) {
      const detail = await this.read.detail(row);
      return { ...detail, followUpPolicy: await this.followUps.currentPolicy(row) };
    }
    // Acknowledged (202) but not yet projected: the workflow is the source of truth.
    try {
      const state = await this.updates.query(id, getLiveStateQuery);
      return {
        id,
        title: state.title,
        stage: state.stage,
        status: state.status,
        coordinator: { name: '', email: '' },
        areas: [],
        organisations: [],
        tasksByStage: groupTasksByStage(state.tasks),
        gate: state.gate,
        // Not in the live state: the template the API starts partnerships with (what it was
        // when this one started, unless it was changed since).
        templateKey: this.config.PARTNERSHIP_TEMPLATE_KEY,
        templateVersion: state.templateVersion,
        followUpPolicy: state.followUpPolicy ?? followUpDefaults(this.config),
        recorded: state.recorded,
        createdAt: null,
        lastActivityAt: null,
        workflowId: partnershipWorkflowId(id),
      };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound(id);
      throw err;
    }
  }

  /**
   * The configured defaults with the request's changes. Checked here, before anything starts,
   * with the rule book the workflow applies to later changes.
   */
  private followUpPolicyOf(dto: CreatePartnershipDto): FollowUpPolicy {
    const policy = mergeFollowUpPolicy(
      followUpDefaults(this.config),
      toFollowUpPolicyPatch(dto.followUpPolicy),
    );
    const problems = followUpPolicyProblems(policy);
    if (problems.length > 0) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: followUpPolicy', {
        errors: problemFields(problems, (head) => `followUpPolicy.${head}`),
      });
    }
    return policy;
  }

  /** Waits (bounded) until the workflow has recorded the partnership; false on time-out. */
  private async awaitRecorded(partnershipId: string, requestHash: string): Promise<boolean> {
    try {
      await this.updates.execute(
        partnershipId,
        awaitRecordedUpdate,
        { requestHash },
        {},
        {
          timeoutMs: this.config.API_CREATE_WAIT_MS,
          completionTimeoutMs: this.config.API_CREATE_WAIT_MS,
        },
      );
      return true;
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.IDEMPOTENCY_KEY_REUSED) {
        throw new DomainError(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          'This Idempotency-Key was already used with a different request body',
        );
      }
      // Ended since it took the request: a workflow ends only after recording, so it is.
      if (
        err instanceof DomainError &&
        (err.code === ErrorCode.PARTNERSHIP_CLOSED || err.code === ErrorCode.PARTNERSHIP_AGREED)
      ) {
        return true;
      }
      if (
        err instanceof DomainError &&
        err.code === ErrorCode.DEPENDENCY_UNAVAILABLE &&
        (err.details.cause === 'timeout' || err.details.cause === 'accepted')
      ) {
        this.logger.warn(
          `${partnershipWorkflowId(partnershipId)}: not recorded within ${this.config.API_CREATE_WAIT_MS} ms; answering 202`,
        );
        return false;
      }
      throw err;
    }
  }

  /**
   * The latest published version of the template new partnerships start with
   * (`PARTNERSHIP_TEMPLATE_KEY`); the partnership keeps it for life.
   */
  private async currentTemplate(): Promise<NonNullable<PartnershipWorkflowInput['template']>> {
    const key = this.config.PARTNERSHIP_TEMPLATE_KEY;
    const found = await this.templates.latestPublished(key);
    return found
      ? workflowTemplateOf(key, found.version, found.content)
      : { key, version: 0, tasks: [] };
  }

  private async resolveOrganisations(
    dto: CreatePartnershipDto,
    user: AuthUser,
  ): Promise<OrganisationInput[]> {
    const problems: { field: string; messages: string[] }[] = [];
    dto.organisations.forEach((o, i) => {
      if (
        o.id !== undefined &&
        (o.name !== undefined ||
          o.country !== undefined ||
          o.kind !== undefined ||
          o.contacts !== undefined)
      ) {
        problems.push({
          field: `organisations[${i}]`,
          messages: [
            'give either an existing organisation id, or name, country and kind for a new one',
          ],
        });
      }
    });
    const ids = dto.organisations.flatMap((o) => (o.id ? [o.id.toLowerCase()] : []));
    if (new Set(ids).size !== ids.length) {
      problems.push({ field: 'organisations', messages: ['an organisation is listed twice'] });
    }
    if (problems.length > 0) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: organisations', {
        errors: problems,
      });
    }
    // Only organisations the caller may see: one they may not is refused as if it did not exist
    // (linking it would show them its contacts and let them send those contacts requests).
    const existing = await this.organisations.findVisible(user, ids);
    const missing = ids.filter((id) => !existing.some((e) => e.id === id));
    if (missing.length > 0) {
      throw new DomainError(
        ErrorCode.ORGANISATION_NOT_FOUND,
        `Unknown organisation ${missing.join(', ')}`,
        {
          missing,
        },
      );
    }
    return dto.organisations.map((o): OrganisationInput => {
      if (o.id) {
        const found = existing.find((e) => e.id === o.id!.toLowerCase())!;
        return {
          id: found.id,
          isNew: false,
          name: found.name,
          region: found.region,
          country: found.country,
          kind: found.kind,
          contacts: [],
        };
      }
      // Random, never derived from the partnership id (which every approval link used to carry):
      // a contact who could compute the other side's contact ids could sign links as them. A
      // retried request still ends with the same ids: its workflow start attaches to the
      // partnership's workflow (USE_EXISTING), which keeps the first request's input.
      const orgId = randomUUID();
      return {
        id: orgId,
        isNew: true,
        name: o.name!.trim(),
        region: o.region?.trim() ?? null,
        country: o.country!.toUpperCase(),
        kind: o.kind!,
        contacts: (o.contacts ?? []).map((c) => ({
          id: randomUUID(),
          name: c.name.trim(),
          email: c.email.toLowerCase(),
          role: c.role?.trim() ?? null,
          language: c.language,
          timeZone: c.timeZone,
          workingHours: c.workingHours ?? {
            ...DEFAULT_WORKING_HOURS,
            days: [...DEFAULT_WORKING_HOURS.days],
          },
        })),
      };
    });
  }
}

const withCoordinatorCalendar = (calendar: WorkingCalendar | undefined) =>
  calendar ? { coordinatorCalendar: calendar } : {};
