export {
  signApprovalLink,
  verifyApprovalLink,
  approvalLinkExpiry,
  assertBoundTo,
} from './approval-link';
export type { ApprovalLinkClaims } from './approval-link';
export {
  signTaskLink,
  verifyTaskLink,
  taskLinkExpiry,
  assertTaskBoundTo,
  isTaskId,
  TASK_LINK_DAYS,
} from './task-link';
export type { TaskLinkClaims, VerifiedTaskLinkClaims } from './task-link';
export type { LinkFailure, LinkVerification, VerifiedClaims } from './signed-link';
export { signEventLink, verifyEventLink, eventLinkExpiry } from './event-link';
export type { EventLinkClaims, VerifiedEventLinkClaims } from './event-link';
export {
  signKnowledgeLink,
  verifyKnowledgeLink,
  knowledgeLinkExpiry,
  assertKnowledgeBoundTo,
  KNOWLEDGE_LINK_DAYS,
} from './knowledge-link';
export type { VerifiedKnowledgeLinkClaims } from './knowledge-link';
