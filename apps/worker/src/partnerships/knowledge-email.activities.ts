import { inEachLanguage, knowledgeFromEvents, knowledgeTopicTitle } from '@libs/domain';
import { PartnershipsRepository } from '@libs/db';
import { renderEmail } from '@libs/notifications';
import type {
  KnowledgeRequestEmail,
  PartnershipActivities,
} from '@workflows/partnership/partnership.activities.contract';
import { EmailDeps, knowledgeLink, sendOnce } from './email-outbox';

/** The "please share your knowledge" e-mail, with the contact's signed knowledge link. */
export function createKnowledgeEmailActivities(
  deps: EmailDeps,
): Pick<PartnershipActivities, 'sendKnowledgeRequestEmail'> {
  const partnerships = new PartnershipsRepository(deps.dataSource);
  return {
    async sendKnowledgeRequestEmail(email: KnowledgeRequestEmail): Promise<{ sent: boolean }> {
      const partnership = await partnerships.findWithPartners(email.partnershipId);
      if (!partnership)
        throw new Error(`partnership ${email.partnershipId} is not in the read model yet`);
      const organisation = (partnership.organisations ?? []).find((o) =>
        (o.contacts ?? []).some((c) => c.id === email.contactId),
      );
      const contact = organisation?.contacts?.find((c) => c.id === email.contactId);
      // A contact no longer with a partner is asked nothing.
      if (!organisation || !contact) return { sent: false };
      const events = await partnerships.knowledgeEvents(email.partnershipId);
      const { knowledge } = knowledgeFromEvents(
        events.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
      );
      const key = `knowledge-request/${email.requestId}/${contact.id}`;
      const sent = await sendOnce(
        deps,
        key,
        email.partnershipId,
        { name: contact.name, address: contact.email },
        () =>
          renderEmail(
            'knowledgeRequest',
            {
              language: contact.language,
              timeZone: contact.timeZone,
              partnershipTitle: partnership.title,
              link: knowledgeLink(deps, { partnershipId: partnership.id, contactId: contact.id }),
              recipientName: contact.name,
              organisationName: organisation.name,
              coordinatorName: email.coordinatorName,
              topics: knowledge.topics.map((t) => inEachLanguage((l) => knowledgeTopicTitle(t, l))),
            },
            { bilingual: email.bilingual },
          ),
      );
      return { sent };
    },
  };
}
