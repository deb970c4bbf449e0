import { ApplicationFailure, uuid4 } from '@temporalio/workflow';
import {
  decide,
  decideKnowledge,
  initialKnowledge,
  KnowledgeDecision,
  KNOWLEDGE_STAGE,
  topicComplete,
} from '../../libs/domain';
import type { ShareKnowledgeArgs, ShareKnowledgeResult } from './partnership.contract';
import { emailActivities } from './activities';
import { endedFailure } from './failures';
import { EventDraft, PartnershipRun } from './partnership-run';

/** Knowledge-sharing changes (KNOWLEDGE_SHARING_PATCH): decided by libs/domain/knowledge.ts. */

function decideIn(run: PartnershipRun, arg: ShareKnowledgeArgs, newTopicKey: string) {
  const ended = endedFailure(run.state.status);
  if (ended) throw ended;
  const decision = decideKnowledge(
    run.state.knowledge ?? initialKnowledge(),
    run.state.organisationIds,
    arg.action,
    newTopicKey,
    run.state.contactIds,
  );
  if (!decision.ok) throw knowledgeFailure(decision);
  return decision;
}

/** The validator: the rule book without side effects (no random id), so a refusal leaves no trace. */
export function checkKnowledge(run: PartnershipRun, arg: ShareKnowledgeArgs): void {
  decideIn(run, arg, 'validation');
}

/**
 * The handler: decides again in the same activation, applies the change synchronously (a
 * concurrent update is validated against it) and answers once its events are in the read model.
 * A contribution that completes a default topic (every organisation has contributed) also
 * completes that topic's template task, if it is still open.
 */
export async function shareKnowledge(
  run: PartnershipRun,
  arg: ShareKnowledgeArgs,
): Promise<ShareKnowledgeResult> {
  const { state } = run;
  const decision = decideIn(run, arg, uuid4());
  if (!decision.ok) throw new Error('unreachable');
  state.knowledge = decision.knowledge;
  const drafts: EventDraft[] = [...decision.events];
  if (arg.action.type === 'contribute' && drafts.length > 0) {
    const taskId = `${KNOWLEDGE_STAGE}.${arg.action.topicKey}`;
    const task = state.tasks.find((t) => t.id === taskId && t.source === 'template');
    if (
      task?.status === 'open' &&
      topicComplete(decision.knowledge, state.organisationIds, arg.action.topicKey)
    ) {
      const completed = decide(
        run.lifecycle(),
        { type: 'completeTask', taskId, comment: undefined },
        { now: new Date().toISOString(), newTaskId: 'unused', actor: arg.actor },
      );
      if (completed.ok) {
        state.tasks = completed.state.tasks;
        drafts.push(...completed.events);
      }
    }
  }
  if (drafts.length > 0) await run.awaitProjected(run.emit(arg.actor, drafts));
  // Requested contributions: each contact's e-mail once its event is in the read model (the page
  // the link opens reads it), one outbox key per request and contact.
  for (const event of decision.events) {
    if (event.type !== 'knowledge.requested') continue;
    for (const contactId of event.payload.contactIds) {
      // An address the SMTP server refuses for good does not keep the others from being asked.
      await emailActivities
        .sendKnowledgeRequestEmail({
          partnershipId: state.partnershipId,
          requestId: event.payload.requestId,
          contactId,
          coordinatorName: state.coordinator.name,
          bilingual: run.policy().bilingualEmails,
        })
        .catch(() => undefined);
    }
  }
  return {
    topicKey: decision.topicKey ?? null,
    revision: decision.revision ?? null,
    changed: drafts.length > 0,
    requireContributions: decision.knowledge.requireContributions,
  };
}

function knowledgeFailure(decision: Extract<KnowledgeDecision, { ok: false }>): ApplicationFailure {
  return ApplicationFailure.create({
    type: decision.code,
    message: decision.message,
    nonRetryable: true,
    details: [decision.errors ? { errors: decision.errors } : {}],
  });
}
