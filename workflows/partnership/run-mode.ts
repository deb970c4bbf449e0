import type { Approver, ApprovalRequest, ContactProfile, FollowUpPolicy } from '../../libs/domain';
import type {
  DelegateApprovalArgs,
  PartnershipWorkflowState,
  PlannedFollowUpView,
  RequestApprovalArgs,
} from './partnership.contract';
import type { FollowUpEmailDraft, PartnershipRun } from './partnership-run';

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
