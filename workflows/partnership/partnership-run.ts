import { condition } from '@temporalio/workflow';
import {
  Approver,
  ApprovalRequest,
  carriedApprovals,
  ContactProfile,
  DEFAULT_FOLLOW_UP_POLICY,
  EventActor,
  FollowUpPolicy,
  isGateSummary,
  isTerminalStatus,
  PartnerOrganisationInput,
  TimelineEvent,
} from '../../libs/domain';
import type {
  ApprovalEmailBatch,
  AddedContact,
  ContactUpdate,
  TemplateMoveProjection,
  FollowUpEmail,
  PartnershipActivities,
} from './partnership.activities.contract';
import type {
  DelegateApprovalArgs,
  PartnershipWorkflowState,
  PlannedFollowUpView,
  RequestApprovalArgs,
} from './partnership.contract';
import { lifecycleOf } from './views';

/** An event the workflow decided, before it has a sequence number. */
export type EventDraft = { type: TimelineEvent['type']; payload: Record<string, unknown> };

/** An e-mail waiting until the events up to `afterSequence` are in the read model. */
export type QueuedEmail =
  | { afterSequence: number; batch: ApprovalEmailBatch; email?: undefined }
  | { afterSequence: number; email: FollowUpEmail; batch?: undefined };

/** Omit over each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A follow-up e-mail as the handlers decide it; the run adds the partnership-wide fields. */
export type FollowUpEmailDraft = DistributiveOmit<
  FollowUpEmail,
  'partnershipId' | 'bilingual' | 'coordinator'
>;

/**
 * One run of a partnership workflow: the state carried across continue-as-new, plus what lives
 * only in this run (events and e-mails not yet written, the follow-up plan's version). Handlers,
 * loops and queries work through it; nothing else holds mutable state.
 */
export class PartnershipRun {
  /** Events decided but not yet in the read model. Only the projector writes them, in order. */
  readonly pending: TimelineEvent[] = [];
  /** E-mails sent once their events are in the read model (the link pages read it). */
  readonly emails: QueuedEmail[] = [];
  /** Bumped by every change that may move a follow-up; the follow-up loop plans again. */
  planVersion = 0;
  /** An e-mail activity is running (the drain before continue-as-new waits for it). */
  mailInFlight = false;
  /** The run is draining to continue as new: validators refuse new updates (they retry). */
  continuing = false;
  /**
   * A reopened run (REOPEN_CLOSED_PATCH) before its reopen arrived: the only time the reopen
   * update is taken.
   */
  awaitingReopen = false;
  /** GATE_CONSENT_PATCH: gate rules, send-backs clearing consent, tasks the partners answer. */
  gateConsent = false;
  /**
   * A change of the partnership's details (title, areas, coordinator, partners) not yet in the
   * read model: the next projection writes them. (A run continues as new only once all is
   * projected, so neither this nor `changedContacts` needs carrying.)
   */
  detailsChanged = false;
  /** Contacts' changed details, in order, not yet in the read model. */
  changedContacts: ContactUpdate[] = [];
  /** Organisations that joined, not yet in the read model (new ones are written with them). */
  addedOrganisations: PartnerOrganisationInput[] = [];
  /** Contacts who joined a partner organisation, not yet in the read model. */
  addedContacts: AddedContact[] = [];
  /** A template move not yet in the read model: the version, and the template tasks it dropped. */
  movedTemplate: TemplateMoveProjection | undefined = undefined;
  /**
   * Requests changed since the projector last took a batch: the next projection writes these
   * (and only these) to PostgreSQL. Carried across continue-as-new (`unprojectedApprovals`).
   */
  private readonly changed: Set<string>;

  constructor(
    readonly state: PartnershipWorkflowState,
    /** Recording and projecting: local activities, or regular ones in runs from before. */
    readonly store: PartnershipActivities,
    /** What differs in runs started before follow-ups existed. */
    readonly mode: RunMode,
  ) {
    mode.init(state);
    this.changed = new Set(state.unprojectedApprovals ?? []);
    // Runs from before carried every request whole, closed ones too; PostgreSQL has them all
    // (a run continues as new only once everything is projected), so this run drops them.
    state.approvals = state.approvals ?? [];
    this.compactApprovals();
  }

  get ended(): boolean {
    return isTerminalStatus(this.state.status);
  }

  /** Numbers the events, queues them for the projector; the sequence of the last one. */
  emit(actor: EventActor, drafts: EventDraft[]): number {
    const occurredAt = new Date().toISOString(); // workflow time: deterministic on replay
    if (actor.kind !== 'system') this.state.lastActivityAt = occurredAt;
    this.planVersion += 1;
    for (const draft of drafts) {
      this.state.lastSequence += 1;
      this.pending.push({
        sequence: this.state.lastSequence,
        type: draft.type,
        actor,
        occurredAt,
        payload: draft.payload,
      });
    }
    return this.state.lastSequence;
  }

  /** Resolves once the events up to `sequence` are in the read model (read-your-writes). */
  async awaitProjected(sequence: number): Promise<void> {
    await condition(() => this.state.projectedSequence >= sequence);
  }

  /** The lifecycle rule book's view of the state. */
  lifecycle(): ReturnType<typeof lifecycleOf> {
    return lifecycleOf(this.state);
  }

  policy(): FollowUpPolicy {
    return this.state.followUpPolicy ?? DEFAULT_FOLLOW_UP_POLICY;
  }

  /**
   * The requests the workflow carries, in request order: the pending ones, closed ones not yet
   * in PostgreSQL, and the gate summaries the gate rule reads (see `carriedApprovals`).
   */
  approvals(): ApprovalRequest[] {
    return this.state.approvals!;
  }

  /**
   * A request the workflow decides on; undefined for one it no longer carries (closed, and in
   * PostgreSQL: the API answers calls on it from there) and for a gate summary.
   */
  findApproval(id: string): ApprovalRequest | undefined {
    return this.approvals().find((a) => a.id === id && !isGateSummary(a));
  }

  /** Whether the partnership has (or had, in this id) this request. */
  carriesApprovalId(id: string): boolean {
    return this.approvals().some((a) => a.id === id);
  }

  addApproval(request: ApprovalRequest): void {
    this.state.approvals = [...this.approvals(), request];
    this.changed.add(request.id);
  }

  replaceApproval(next: ApprovalRequest): void {
    this.state.approvals = this.approvals().map((a) => (a.id === next.id ? next : a));
    this.changed.add(next.id);
  }

  /** The changed requests as they are now, for the projection about to be written. */
  takeChangedApprovals(): ApprovalRequest[] {
    const changed = this.approvals().filter((a) => this.changed.has(a.id));
    this.changed.clear();
    return changed;
  }

  /** Drops what PostgreSQL now has and the workflow does not need (after each projection). */
  compactApprovals(): void {
    this.state.approvals = carriedApprovals(this.approvals(), (id) => !this.changed.has(id));
  }

  /** The state to continue as new with. */
  continuedState(): PartnershipWorkflowState {
    return {
      ...this.state,
      generation: this.state.generation + 1,
      unprojectedApprovals: [...this.changed],
    };
  }

  profileOf(contactId: string, given?: Record<string, ContactProfile>): ContactProfile | undefined {
    return given?.[contactId] ?? this.state.contactProfiles?.[contactId];
  }

  /** Queues the approval request e-mails to these contacts. */
  queueRequestEmails(afterSequence: number, approvalId: string, contactIds: string[]): void {
    this.emails.push({
      afterSequence,
      batch: {
        partnershipId: this.state.partnershipId,
        approvalId,
        kind: 'request',
        contactIds,
        ...this.mode.batchExtras(this),
      },
    });
  }

  /** Queues a follow-up e-mail, sent once the events up to `afterSequence` are in the read model. */
  queueEmail(afterSequence: number, email: FollowUpEmailDraft): void {
    this.emails.push({
      afterSequence,
      email: {
        ...email,
        partnershipId: this.state.partnershipId,
        bilingual: this.policy().bilingualEmails,
        coordinator: {
          name: this.state.coordinator.name,
          email: this.state.coordinator.email,
          timeZone: this.policy().coordinator.timeZone,
          language: this.policy().coordinator.language,
        },
      } as FollowUpEmail,
    });
  }

  /** The next e-mail may go: its events are in the read model. */
  mailReady(): boolean {
    return this.emails.length > 0 && this.emails[0].afterSequence <= this.state.projectedSequence;
  }
}

/**
 * What differs between runs with follow-ups (FOLLOW_UPS_PATCH) and runs started before them.
 * The entry function picks one at the start of each run; every branch on the patch is here, so
 * deprecating it removes before-follow-ups.ts and the choice.
 */
export interface RunMode {
  readonly followUps: boolean;
  /** Fills in what runs from before follow-ups lack. */
  init(state: PartnershipWorkflowState): void;
  /** Starts the loops that run beside the projector (follow-up timer, e-mail). */
  startLoops(run: PartnershipRun): void;
  /** Extra fields of a new approver: zone, hours and reminder progress. */
  approverExtras(
    run: PartnershipRun,
    contactId: string,
    given?: Record<string, ContactProfile>,
  ): Partial<Approver>;
  /** Extra fields of a new approval request. */
  requestExtras(arg: RequestApprovalArgs): Partial<ApprovalRequest>;
  /** What a delegation records about the delegate. */
  delegationExtras(
    run: PartnershipRun,
    arg: DelegateApprovalArgs,
  ): { at: string | undefined; toProfile: ContactProfile | undefined };
  /** Extra fields of an approval e-mail batch. */
  batchExtras(run: PartnershipRun): { bilingual?: boolean };
  /** Queues a follow-up e-mail (runs from before follow-ups send none). */
  queueFollowUpEmail(run: PartnershipRun, afterSequence: number, email: FollowUpEmailDraft): void;
  /** Extra fields of a projection. */
  projectionExtras(run: PartnershipRun): { followUpPolicy?: FollowUpPolicy };
  /** The follow-ups the query shows. */
  planned(run: PartnershipRun): PlannedFollowUpView[];
  /** The projector has an e-mail to send itself (runs from before the e-mail loop). */
  projectorHasMail(run: PartnershipRun): boolean;
  sendFromProjector(run: PartnershipRun): Promise<void>;
  /**
   * Before the run ends: true when nothing is left to project or send; false when new events
   * wait for the projector.
   */
  drained(run: PartnershipRun): Promise<boolean>;
}
