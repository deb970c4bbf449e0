import {
  approvalSubjectTitle,
  ApprovalSubject,
  inEachLanguage,
  notificationKey,
} from '../../../../libs/domain';
import { renderEmail } from '../../../../libs/notifications';
import type {
  ApprovalEmailBatch,
  PartnershipActivities,
} from '../../../../workflows/partnership/partnership.activities.contract';
import { approvalLink, EmailDeps, findContacts, sendOnce } from './email-outbox';

/**
 * Approval e-mails, each with a signed link bound to that approval and that contact. The
 * notifications outbox is keyed by approval, kind and contact: a key already marked sent is
 * skipped, so a retry, a worker crash or a replay sends nothing twice.
 */
export function createApprovalEmailActivities(
  deps: EmailDeps,
): Pick<PartnershipActivities, 'sendApprovalEmails'> {
  return {
    async sendApprovalEmails(batch: ApprovalEmailBatch): Promise<void> {
      const [approval] = (await deps.dataSource.query(
        `SELECT a.id, a.subject, a.deadline, a.requested_by, p.title AS partnership_title, p.coordinator_name
           FROM approval_requests a JOIN partnerships p ON p.id = a.partnership_id
          WHERE a.id = $1 AND a.partnership_id = $2`,
        [batch.approvalId, batch.partnershipId],
      )) as {
        subject: ApprovalSubject;
        deadline: Date;
        requested_by: { name?: string; email?: string };
        partnership_title: string;
        coordinator_name: string;
      }[];
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
