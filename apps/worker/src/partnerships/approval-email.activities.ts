import { ApprovalsRepository } from '@libs/db';
import { approvalSubjectTitle, inEachLanguage, notificationKey } from '@libs/domain';
import { renderEmail } from '@libs/notifications';
import type {
  ApprovalEmailBatch,
  PartnershipActivities,
} from '@workflows/partnership/partnership.activities.contract';
import { approvalLink, EmailDeps, findContacts, sendOnce } from './email-outbox';

/**
 * Approval e-mails, each with a signed link bound to that approval and that contact. The
 * notifications outbox is keyed by approval, kind and contact: a key already marked sent is
 * skipped, so a retry, a worker crash or a replay sends nothing twice.
 */
export function createApprovalEmailActivities(
  deps: EmailDeps,
): Pick<PartnershipActivities, 'sendApprovalEmails'> {
  const approvals = new ApprovalsRepository(deps.dataSource);
  return {
    async sendApprovalEmails(batch: ApprovalEmailBatch): Promise<void> {
      const approval = await approvals.toMail(batch.approvalId, batch.partnershipId);
      if (!approval) throw new Error(`approval ${batch.approvalId} is not in the read model yet`);
      const contacts = await findContacts(deps.dataSource, batch.contactIds);
      const deadline = new Date(approval.deadline);
      for (const contact of contacts) {
        const key = notificationKey({
          kind: 'approval-request',
          approvalId: batch.approvalId,
          contactId: contact.id,
        });
        const link = approvalLink(deps, {
          approvalId: batch.approvalId,
          contactId: contact.id,
          partnershipId: batch.partnershipId,
          deadline,
        });
        await sendOnce(
          deps,
          key,
          batch.partnershipId,
          { name: contact.name, address: contact.email },
          () =>
            renderEmail('approvalRequest', {
              language: contact.language,
              bilingual: batch.bilingual ?? false,
              recipientName: contact.name,
              partnershipTitle: approval.partnership_title,
              subjectTitle: inEachLanguage((l) => approvalSubjectTitle(approval.subject, l)),
              requestedBy: approval.requested_by.name ?? approval.coordinator_name,
              deadline,
              timeZone: contact.time_zone,
              link,
            }),
        );
      }
    },
  };
}
