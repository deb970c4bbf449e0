import { ApplicationFailure } from '@temporalio/workflow';
import {
  decideComment,
  rememberComment,
  type CommentAuthor,
  type Commentable,
} from '../../libs/domain';
import type { AddCommentArgs, CommentResult } from './partnership.contract';
import type { PartnershipRun } from './partnership-run';

function commentable(run: PartnershipRun): Commentable {
  const { state } = run;
  return {
    status: state.status,
    tasks: state.tasks,
    contactIds: state.contactIds,
    commentIds: state.commentIds ?? [],
  };
}

/** A contact's comment (from their task page) or, for any other actor, the coordinator's. */
function authorOf(arg: AddCommentArgs): CommentAuthor {
  return arg.actor.kind === 'contact' && arg.actor.id
    ? { kind: 'contact', contactId: arg.actor.id }
    : { kind: 'coordinator' };
}

function decided(run: PartnershipRun, arg: AddCommentArgs) {
  const decision = decideComment(commentable(run), arg, authorOf(arg));
  if (!decision.ok) {
    throw ApplicationFailure.create({
      type: decision.code,
      message: decision.message,
      nonRetryable: true,
      details: [{ blockers: [] }],
    });
  }
  return decision;
}

/** The validator: the rule book alone, so a refused comment leaves no trace in history. */
export function checkComment(run: PartnershipRun, arg: AddCommentArgs): void {
  decided(run, arg);
}

/**
 * Records the comment once (a retry with the same id records nothing), e-mails it to the
 * contacts the rule book names once it is in the read model, and answers once it is there.
 */
export async function addComment(run: PartnershipRun, arg: AddCommentArgs): Promise<CommentResult> {
  const decision = decided(run, arg);
  if (decision.duplicate) return { commentId: arg.commentId, recorded: false };
  const { state } = run;
  state.commentIds = rememberComment(state.commentIds ?? [], arg);
  const sequence = run.emit(arg.actor, [decision.event]);
  const email = {
    kind: 'comment' as const,
    commentId: arg.commentId,
    text: decision.event.payload.text as string,
    // An API token's actor may have no name: the e-mail then names the coordinator's side.
    authorName: arg.actor.name || arg.actor.email || '',
    ...(arg.taskId !== undefined ? { taskId: arg.taskId } : {}),
  };
  for (const contactId of decision.notify.contactIds) {
    run.mode.queueFollowUpEmail(run, sequence, { ...email, contactId });
  }
  if (decision.notify.coordinator) run.mode.queueFollowUpEmail(run, sequence, email);
  await run.awaitProjected(sequence);
  return { commentId: arg.commentId, recorded: true };
}
