import { renderApprovalExpiredEmail } from './emails/approval-expired';
import type { ApprovalExpiredEmailInput } from './emails/approval-expired';
import { renderApprovalRequestEmail } from './emails/approval-request';
import type { ApprovalRequestEmailInput } from './emails/approval-request';
import { renderDecisionEmail } from './emails/decision';
import type { DecisionEmailInput } from './emails/decision';
import { renderEscalationEmail } from './emails/escalation';
import type { EscalationEmailInput } from './emails/escalation';
import { renderKnowledgeRequestEmail } from './emails/knowledge-request';
import type { KnowledgeRequestEmailInput } from './emails/knowledge-request';
import type { RenderedEmail } from './emails/layout';
import { renderCommentEmail } from './emails/comment';
import type { CommentEmailInput } from './emails/comment';
import { renderReminderEmail } from './emails/reminder';
import type { ReminderEmailInput } from './emails/reminder';
import { renderStageStalledEmail } from './emails/stage-stalled';
import type { StageStalledEmailInput } from './emails/stage-stalled';
import { renderTaskOverdueEmail } from './emails/task-overdue';
import type { TaskOverdueEmailInput } from './emails/task-overdue';
import { renderWeeklyDigestEmail } from './emails/weekly-digest';
import type { WeeklyDigestEmailInput } from './emails/weekly-digest';

/** The input of each kind of e-mail (one file per kind in emails/). */
export interface EmailInputs {
  approvalRequest: ApprovalRequestEmailInput;
  reminder: ReminderEmailInput;
  escalation: EscalationEmailInput;
  decision: DecisionEmailInput;
  approvalExpired: ApprovalExpiredEmailInput;
  taskOverdue: TaskOverdueEmailInput;
  stageStalled: StageStalledEmailInput;
  knowledgeRequest: KnowledgeRequestEmailInput;
  weeklyDigest: WeeklyDigestEmailInput;
  comment: CommentEmailInput;
}
export type EmailKind = keyof EmailInputs;

const RENDERERS: { [K in EmailKind]: (input: EmailInputs[K]) => RenderedEmail } = {
  approvalRequest: renderApprovalRequestEmail,
  reminder: renderReminderEmail,
  escalation: renderEscalationEmail,
  decision: renderDecisionEmail,
  approvalExpired: renderApprovalExpiredEmail,
  taskOverdue: renderTaskOverdueEmail,
  stageStalled: renderStageStalledEmail,
  knowledgeRequest: renderKnowledgeRequestEmail,
  weeklyDigest: renderWeeklyDigestEmail,
  comment: renderCommentEmail,
};

export interface RenderEmailOptions {
  /**
   * The partnership's bilingual setting; overrides `input.bilingual` when given. An es or zh
   * recipient then gets their language first and an English copy below; English is unchanged.
   */
  bilingual?: boolean;
}

/**
 * Renders any kind of e-mail: `renderEmail('taskOverdue', input, { bilingual })`. The input type
 * follows the kind, so a mismatched input does not compile.
 */
export function renderEmail<K extends EmailKind>(
  kind: K,
  input: EmailInputs[K],
  options: RenderEmailOptions = {},
): RenderedEmail {
  if (!Object.hasOwn(RENDERERS, kind))
    throw new RangeError(`unknown e-mail kind ${JSON.stringify(kind)}`);
  const render: (input: EmailInputs[K]) => RenderedEmail = RENDERERS[kind];
  return render(
    options.bilingual === undefined ? input : { ...input, bilingual: options.bilingual },
  );
}
