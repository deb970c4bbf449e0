import { formatList } from '../format';
import { compose, inLanguage, linkAndFooter, oneLine, p } from './layout';
import type { BaseEmailInput, Localized, RenderedEmail } from './layout';

/** Asks a partner contact to write their organisation's contributions (knowledge sharing). */
export interface KnowledgeRequestEmailInput extends BaseEmailInput {
  recipientName: string;
  organisationName: string;
  coordinatorName: string;
  /** The topics' titles, per language for a default topic. */
  topics: Localized[];
}

export function renderKnowledgeRequestEmail(input: KnowledgeRequestEmailInput): RenderedEmail {
  return compose(input, (language, m) => ({
    language,
    subject: m.knowledgeRequest.subject({ partnership: oneLine(input.partnershipTitle) }),
    blocks: [
      p(m.greeting, { name: input.recipientName }),
      p(m.knowledgeRequest.intro, {
        coordinator: input.coordinatorName,
        organisation: input.organisationName,
        partnership: input.partnershipTitle,
        topics: formatList(
          input.topics.map((t) => inLanguage(t, language)),
          language,
        ),
      }),
      p(m.knowledgeRequest.howTo, {}),
      ...linkAndFooter(m, m.knowledgeRequest.action(), input.link),
    ],
  }));
}
