export {
  signApprovalLink,
  verifyApprovalLink,
  approvalLinkExpiry,
  assertBoundTo,
} from './approval-link';
export type {
  ApprovalLinkClaims,
  ApprovalLinkFailure,
  ApprovalLinkPurpose,
  ApprovalLinkVerification,
  VerifiedApprovalLinkClaims,
} from './approval-link';
