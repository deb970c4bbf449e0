import type { FastifyReply } from 'fastify';
import {
  contributionProblems,
  ErrorCode,
  isLanguage,
  isTerminalStatus,
  knowledgePairKey,
  knowledgeTopicTitle,
  MAX_KNOWLEDGE_LINKS,
  MAX_KNOWLEDGE_TEXT_LENGTH,
} from '@libs/domain';
import type { Language } from '@libs/domain';
import {
  formText,
  OpenLink,
  PartnerForm,
  PartnerLinkController,
  PartnerLinkPage,
} from '../approvals/partner-link.controller';
import { sendPage } from '../approvals/partner-page';
import { KnowledgePageWords, knowledgeWords, renderKnowledgePage } from './knowledge-page';
import { KnowledgeLinkResolution, KnowledgeLinksService } from './knowledge-links.service';

type Target = Extract<KnowledgeLinkResolution, { ok: true }>;

/**
 * The page a partner contact reaches from a "please share your knowledge" e-mail: no account, a
 * signed link bound to one partnership and one contact. They write their organisation's
 * contribution to each topic, in their language. HTML forms only; the same text again changes
 * nothing.
 */
@PartnerLinkPage('k')
export class KnowledgeLinkController extends PartnerLinkController<Target, KnowledgePageWords> {
  protected readonly words = knowledgeWords;

  constructor(private readonly links: KnowledgeLinksService) {
    super();
  }

  protected resolve(token: string, acceptLanguage: string | undefined) {
    return this.links.resolve(token, acceptLanguage);
  }

  /** The organisation's contribution to one topic. */
  protected async act(link: OpenLink<Target>, form: PartnerForm, reply: FastifyReply) {
    const { target, language } = link;
    const w = this.words(language);
    const refusal = this.refusal(target, language);
    if (refusal) return sendPage(reply, 409, refusal);
    const input = contributionOf(form, language);
    const topic = target.record.knowledge.topics.find((t) => t.key === input.topicKey);
    if (!topic) return sendPage(reply, 400, this.page(link, { text: w.unknownTopic() }));
    const problems = contributionProblems(input);
    if (problems.length > 0) {
      const text = problems.some((p) => p.field === 'text')
        ? w.textRequired()
        : w.invalidLinks({ max: String(MAX_KNOWLEDGE_LINKS) });
      return sendPage(reply, 400, this.page(link, { text, topicKey: topic.key }));
    }
    let changed: boolean;
    try {
      ({ changed } = await this.links.contribute(target, input));
    } catch (err) {
      const alert = (text: string) => this.message(language, text, 'alert');
      return this.sendFailure(reply, language, err, {
        [ErrorCode.KNOWLEDGE_TOPIC_NOT_FOUND]: () => [400, alert(w.unknownTopic())],
        [ErrorCode.KNOWLEDGE_NOT_A_PARTNER]: () => [403, alert(w.notPartner())],
        [ErrorCode.VALIDATION_FAILED]: () => [
          400,
          alert(w.invalidLinks({ max: String(MAX_KNOWLEDGE_LINKS) })),
        ],
        [ErrorCode.PARTNERSHIP_CLOSED]: () => [
          409,
          alert(w.ended({ status: w.statuses.closed() })),
        ],
        [ErrorCode.PARTNERSHIP_AGREED]: () => [
          409,
          alert(w.ended({ status: w.statuses.agreed() })),
        ],
      });
    }
    const title = knowledgeTopicTitle(topic, language);
    sendPage(
      reply,
      200,
      this.message(language, changed ? w.thanks({ topic: title }) : w.unchanged()),
    );
  }

  /** Why the contact cannot contribute now (the partnership has ended), as a page. */
  protected refusal(target: Target, language: Language): string | undefined {
    const { status } = target.partnership;
    if (!isTerminalStatus(status)) return undefined;
    const w = this.words(language);
    return this.message(language, w.ended({ status: w.statuses[status]() }));
  }

  protected page(
    { token, target, language }: OpenLink<Target>,
    notice?: { text: string; topicKey?: string },
  ): string {
    const { contact, organisation, partnership, record } = target;
    return renderKnowledgePage({
      language,
      timeZone: contact.timeZone,
      contactName: contact.name,
      organisationName: organisation.name,
      partnershipTitle: partnership.title,
      coordinator: { name: partnership.coordinatorName, email: partnership.coordinatorEmail },
      topics: record.knowledge.topics.map((topic) => ({
        topic,
        contribution: record.contributions[knowledgePairKey(topic.key, organisation.id)],
      })),
      formAction: `/k/${token}`,
      notice,
    });
  }
}

/** The form's contribution: links one per line, blank lines dropped; the reader's language by default. */
function contributionOf(form: PartnerForm, language: Language) {
  return {
    topicKey: formText(form, 'topicKey', 100) ?? '',
    text: formText(form, 'text', MAX_KNOWLEDGE_TEXT_LENGTH + 1) ?? '',
    language: isLanguage(form?.language) ? form.language : language,
    links: (formText(form, 'links') ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0),
  };
}
