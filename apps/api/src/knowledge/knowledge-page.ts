import {
  knowledgeTopicTitle,
  LANGUAGES,
  MAX_KNOWLEDGE_LINKS,
  MAX_KNOWLEDGE_TEXT_LENGTH,
} from '@libs/domain';
import type { KnowledgeContribution, KnowledgeTopic, Language } from '@libs/domain';
import { escapeHtml, formatDateTime, MESSAGES } from '@libs/notifications';
import type { Messages } from '@libs/notifications';
import { alertNotice, partnerPage } from '../approvals/partner-page';

/** The knowledge page's words (the catalog's: libs/notifications/messages/). */
export type KnowledgePageWords = Messages['knowledgePage'];

export function knowledgeWords(language: Language): KnowledgePageWords {
  return MESSAGES[language].knowledgePage;
}

export interface KnowledgePageInput {
  language: Language;
  timeZone: string;
  contactName: string;
  organisationName: string;
  partnershipTitle: string;
  coordinator: { name: string; email: string };
  topics: { topic: KnowledgeTopic; contribution: KnowledgeContribution | undefined }[];
  formAction: string;
  /** A message above the forms (after a refused save), and the topic it is about. */
  notice?: { text: string; topicKey?: string };
}

/**
 * One form per topic: the organisation's contribution (its latest revision, as written), the
 * language it is in (the contact's own by default) and its links, one per line.
 */
export function renderKnowledgePage(input: KnowledgePageInput): string {
  const w = knowledgeWords(input.language);
  const e = escapeHtml;
  const forms = input.topics.map(({ topic, contribution }, i) => {
    const id = `topic-${i}`;
    const textLanguage = contribution?.language ?? input.language;
    const options = LANGUAGES.map(
      (l) =>
        `<option value="${l}"${l === textLanguage ? ' selected' : ''}>${e(w.languages[l]())}</option>`,
    ).join('');
    const edited = contribution
      ? `<p class="hint">${e(
          w.lastEdited({
            author: contribution.author.name ?? contribution.author.email ?? '',
            at: formatDateTime(new Date(contribution.at), input.language, input.timeZone),
            revision: String(contribution.revision),
          }),
        )}</p>`
      : '';
    const notice = alertNotice(
      input.notice?.topicKey === topic.key ? input.notice.text : undefined,
    );
    return `<form method="post" action="${e(input.formAction)}" class="card" aria-labelledby="${id}-heading">
<h2 id="${id}-heading">${e(knowledgeTopicTitle(topic, input.language))}</h2>
<p class="hint">${e(topic.required ? w.required() : w.optional())}</p>
${notice}${edited}
<input type="hidden" name="topicKey" value="${e(topic.key)}">
<label for="${id}-text">${e(w.yourContribution({ organisation: input.organisationName }))}</label>
<textarea id="${id}-text" name="text" lang="${textLanguage}" maxlength="${MAX_KNOWLEDGE_TEXT_LENGTH}" required>${e(contribution?.text ?? '')}</textarea>
<label for="${id}-language">${e(w.language())}</label>
<select id="${id}-language" name="language">${options}</select>
<label for="${id}-links">${e(w.links())}</label>
<span class="hint" id="${id}-links-hint">${e(w.linksHint({ max: String(MAX_KNOWLEDGE_LINKS) }))}</span>
<textarea id="${id}-links" name="links" aria-describedby="${id}-links-hint">${e((contribution?.links ?? []).join('\n'))}</textarea>
<div class="actions"><button type="submit">${e(w.save())}</button></div>
</form>`;
  });
  const general = alertNotice(input.notice?.topicKey ? undefined : input.notice?.text);
  const body = `<p>${e(w.intro({ name: input.contactName, organisation: input.organisationName }))}</p>
${general}
<section class="card" aria-label="${e(w.partnership())}">
<dl>
<dt>${e(w.partnership())}</dt><dd>${e(input.partnershipTitle)}</dd>
<dt>${e(w.coordinator())}</dt><dd><a href="mailto:${e(encodeURI(input.coordinator.email))}">${e(input.coordinator.name)}</a></dd>
</dl>
</section>
${forms.join('\n')}`;
  return partnerPage(input.language, w.title(), body);
}
