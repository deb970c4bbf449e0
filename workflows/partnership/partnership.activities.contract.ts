import type { TimelineEvent } from '../../libs/domain';
import type { PartnershipWorkflowInput } from './partnership.contract';

/**
 * Activities the partnership workflow calls. The worker implements them over the database
 * (apps/worker/src/partnerships/partnership.activities.ts); each is idempotent by a business key.
 */
export interface PartnershipActivities {
  /** Records organisations given inline, the partnership row and its `partnership.created` event. */
  recordPartnership(input: PartnershipWorkflowInput, event: TimelineEvent): Promise<void>;
}
