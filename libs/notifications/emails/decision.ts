import { formatDateTime } from '../format';
import { checkDate, compose, inLanguage, linkAndFooter, p, titles } from './layout';
import type { ApprovalEmailInput, Block, RenderedEmail } from './layout';

export interface DecisionEmailInput extends ApprovalEmailInput {
  coordinatorName: string;
  /** What `decidedBy` decided. */
  decision: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: Date;
  /** The approver's comment; for a rejection, the reason given. Shown quoted. */
  comment?: string;
  /**
   * The request's status after this decision, when the decision closed it. Must agree with
   * `decision` (one rejection rejects a request; the last approval approves it). Leave it out
   * for a decision that leaves the request pending.
   */
  requestStatus?: 'approved' | 'rejected';
}

/**
 * Tells the coordinator that an approver approved or rejected, with the approver's comment, and,
 * with `requestStatus`, that the decision closed the request as approved or rejected.
 */
export function renderDecisionEmail(input: DecisionEmailInput): RenderedEmail {
  checkDate('decidedAt', input.decidedAt);
  if (input.decision !== 'approved' && input.decision !== 'rejected')
    throw new RangeError(`unknown decision ${JSON.stringify(input.decision)}`);
  if (input.requestStatus !== undefined && input.requestStatus !== input.decision)
    throw new RangeError(
      `a ${input.decision} decision cannot close the request as ${JSON.stringify(input.requestStatus)}`,
    );
  const comment = input.comment?.trim();
  return compose(input, (language, m) => {
    const words = m.decision;
    const approved = input.decision === 'approved';
    return {
      language,
      subject: (approved ? words.approvedSubject : words.rejectedSubject)(titles(input, language)),
      blocks: [
        p(m.greeting, { name: input.coordinatorName }),
        p(approved ? words.approved : words.rejected, {
          decidedBy: input.decidedBy,
          subject: inLanguage(input.subjectTitle, language),
          partnership: input.partnershipTitle,
          decidedAt: formatDateTime(input.decidedAt, language, input.timeZone),
        }),
        ...(comment
          ? [p(words.comment, {}), { kind: 'quote', value: comment } satisfies Block]
          : [p(words.noComment, {})]),
        ...(input.requestStatus
          ? [
              p(
                input.requestStatus === 'approved' ? words.requestApproved : words.requestRejected,
                {},
              ),
            ]
          : []),
        ...linkAndFooter(m, words.action(), input.link),
      ],
    };
  });
}
