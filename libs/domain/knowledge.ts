import type { FieldProblem } from './errors';
import type { Stage } from './partnership';
import type { EventActor } from './timeline';
import { isLanguage, Language, LANGUAGES } from './vocabulary';

/**
 * Knowledge sharing as structured output: per topic, each partner organisation's contribution
 * (text in its author's language, links), side by side. The workflow keeps a small summary (the
 * topics, whether the gate asks for contributions, each organisation's latest revision per topic);
 * the text itself travels in the `knowledge.contributed` timeline event, which the read model keeps.
 */

/** The stage whose gate may ask for contributions. */
export const KNOWLEDGE_STAGE: Stage = 'knowledge_sharing';

/** The default topics, keyed like the default template's tasks of the knowledge-sharing stage. */
export const DEFAULT_KNOWLEDGE_TOPIC_KEYS = [
  'entrepreneurship_culture',
  'funding_environment',
  'startup_regulations',
] as const;

/** Longest contribution text, in characters. */
export const MAX_KNOWLEDGE_TEXT_LENGTH = 8000;
/** Most links one contribution carries. */
export const MAX_KNOWLEDGE_LINKS = 10;
/** Longest link, in characters. */
export const MAX_KNOWLEDGE_LINK_LENGTH = 2000;
/** Most topics a partnership has (the three defaults included). */
export const MAX_KNOWLEDGE_TOPICS = 30;
/** Most contacts one request for contributions asks. */
export const MAX_KNOWLEDGE_REQUEST_CONTACTS = 50;
/** Longest topic title, in characters. */
export const MAX_KNOWLEDGE_TOPIC_TITLE_LENGTH = 200;

export interface KnowledgeTopic {
  /** A default topic's key (`funding_environment`), or a uuid for one the coordinator added. */
  key: string;
  /** English title for a default topic (shown in the reader's words); as written for others. */
  title: string;
  required: boolean;
  source: 'default' | 'custom';
}

/** What the workflow keeps of one organisation's contribution to one topic. */
export interface KnowledgeContributionSummary {
  revision: number;
  /** Of the text, language and links: a resubmission of the same contribution changes nothing. */
  fingerprint: string;
}

/** What the workflow keeps about knowledge sharing (absent in runs from before it existed). */
export interface KnowledgeState {
  /** Whether the gate of knowledge_sharing asks every organisation for every required topic. */
  requireContributions: boolean;
  topics: KnowledgeTopic[];
  /** By `knowledgePairKey(topicKey, organisationId)`. */
  contributions: Record<string, KnowledgeContributionSummary>;
}

/** A contribution as its author writes it. */
export interface KnowledgeContributionInput {
  topicKey: string;
  organisationId: string;
  text: string;
  language: Language;
  links: string[];
}

export type KnowledgeAction =
  | { type: 'addTopic'; title: string; required: boolean }
  | ({ type: 'contribute' } & KnowledgeContributionInput)
  | { type: 'setGate'; requireContributions: boolean }
  /** Asks partner contacts, by e-mail with their signed link, for their organisation's contributions. */
  | { type: 'request'; contactIds: string[] };

/** A required topic an organisation has not contributed to: what the gate still needs. */
export interface KnowledgeGap {
  topicKey: string;
  title: string;
  organisationId: string;
}

/** The default knowledge-sharing topics' titles in every language (words.ts's `knowledgeTopicTitle` reads them). */
export const KNOWLEDGE_TOPIC_TITLES = {
  en: {
    entrepreneurship_culture: 'Entrepreneurship culture and support system',
    funding_environment: 'Funding environment',
    startup_regulations: 'Start-up regulations',
  },
  es: {
    entrepreneurship_culture: 'Cultura emprendedora y sistema de apoyo',
    funding_environment: 'Entorno de financiación',
    startup_regulations: 'Normativa sobre empresas emergentes',
  },
  zh: {
    entrepreneurship_culture: '创业文化与创业支持体系',
    funding_environment: '融资环境',
    startup_regulations: '初创企业相关法规',
  },
} as const satisfies Record<Language, Record<string, string>>;
/** The default topics' English titles. */
export const DEFAULT_KNOWLEDGE_TITLES = KNOWLEDGE_TOPIC_TITLES.en;

/**
 * The knowledge state of a partnership that has none yet: the default topics, all required,
 * and a gate that does not ask for contributions until the coordinator turns it on (so that
 * partnerships running before this existed advance as they did).
 */
export function initialKnowledge(): KnowledgeState {
  return {
    requireContributions: false,
    topics: DEFAULT_KNOWLEDGE_TOPIC_KEYS.map((key) => ({
      key,
      title: DEFAULT_KNOWLEDGE_TITLES[key],
      required: true,
      source: 'default',
    })),
    contributions: {},
  };
}

export function knowledgePairKey(topicKey: string, organisationId: string): string {
  return `${topicKey}/${organisationId}`;
}

/**
 * The required topics each organisation has not contributed to, topic by topic in topic order.
 * Empty when the gate does not ask for contributions.
 */
export function knowledgeGaps(
  knowledge: KnowledgeState | undefined,
  organisationIds: readonly string[],
): KnowledgeGap[] {
  if (!knowledge?.requireContributions) return [];
  return knowledge.topics
    .filter((t) => t.required)
    .flatMap((t) =>
      organisationIds
        .filter((o) => !knowledge.contributions[knowledgePairKey(t.key, o)])
        .map((organisationId) => ({ topicKey: t.key, title: t.title, organisationId })),
    );
}

/** Whether a link is an absolute http(s) URL with a host and no spaces or control characters. */
export function isKnowledgeLink(value: string): boolean {
  if (value.length > MAX_KNOWLEDGE_LINK_LENGTH) return false;
  // Scheme, then a host of letters, digits, dots, hyphens (or an IPv6 literal), an optional port.
  return /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(:\d{1,5})?([/?#][^\s<>"]*)?$/i.test(
    value,
  );
}

/** What is wrong with a contribution's text, language and links (empty when nothing is). */
export function contributionProblems(
  input: Pick<KnowledgeContributionInput, 'text' | 'language' | 'links'>,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const text = typeof input.text === 'string' ? input.text.trim() : '';
  if (!text) problems.push({ field: 'text', messages: ['text must not be empty'] });
  else if (text.length > MAX_KNOWLEDGE_TEXT_LENGTH)
    problems.push({
      field: 'text',
      messages: [`text must be at most ${MAX_KNOWLEDGE_TEXT_LENGTH} characters`],
    });
  if (!isLanguage(input.language))
    problems.push({
      field: 'language',
      messages: [`language must be one of ${LANGUAGES.join(', ')}`],
    });
  const links = Array.isArray(input.links) ? input.links : [];
  if (links.length > MAX_KNOWLEDGE_LINKS)
    problems.push({ field: 'links', messages: [`at most ${MAX_KNOWLEDGE_LINKS} links`] });
  links.forEach((link, i) => {
    if (typeof link !== 'string' || !isKnowledgeLink(link.trim()))
      problems.push({
        field: `links[${i}]`,
        messages: ['must be an http or https URL of at most 2000 characters'],
      });
  });
  return problems;
}

/** The contribution as it is kept: text trimmed, links trimmed and without repeats. */
export function normalisedContribution<T extends KnowledgeContributionInput>(input: T): T {
  return {
    ...input,
    text: input.text.trim(),
    links: [...new Set(input.links.map((l) => l.trim()))],
  };
}

/** A short deterministic fingerprint (FNV-1a, 32 bit) of a contribution's content. */
export function contributionFingerprint(
  input: Pick<KnowledgeContributionInput, 'text' | 'language' | 'links'>,
): string {
  const content = JSON.stringify([input.language, input.text, input.links]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < content.length; i += 1) {
    hash ^= content.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${content.length}-${hash.toString(16).padStart(8, '0')}`;
}

export type KnowledgeRejectionCode =
  | 'KNOWLEDGE_TOPIC_NOT_FOUND'
  | 'KNOWLEDGE_NOT_A_PARTNER'
  | 'KNOWLEDGE_TOPIC_LIMIT'
  | 'ASSIGNEE_NOT_A_CONTACT'
  | 'VALIDATION_FAILED';

export type KnowledgeEventDraft =
  | {
      type: 'knowledge.topic_added';
      payload: { topicKey: string; title: string; required: boolean };
    }
  | {
      type: 'knowledge.contributed';
      payload: {
        topicKey: string;
        organisationId: string;
        revision: number;
        text: string;
        language: Language;
        links: string[];
      };
    }
  | { type: 'knowledge.gate_changed'; payload: { requireContributions: boolean } }
  | { type: 'knowledge.requested'; payload: { requestId: string; contactIds: string[] } };

export type KnowledgeDecision =
  | {
      ok: true;
      knowledge: KnowledgeState;
      /** Empty when the action repeats what is already recorded (a retry): nothing happens. */
      events: KnowledgeEventDraft[];
      /** The topic the action added or contributed to. */
      topicKey?: string;
      revision?: number;
    }
  | { ok: false; code: KnowledgeRejectionCode; message: string; errors?: FieldProblem[] };

function refuse(
  code: KnowledgeRejectionCode,
  message: string,
  errors?: FieldProblem[],
): KnowledgeDecision {
  return { ok: false, code, message, ...(errors ? { errors } : {}) };
}

/**
 * The knowledge-sharing rule book: whether `action` is allowed and what it records. A topic with
 * the title of an existing one (any case), the same contribution again or the gate setting it
 * already has change nothing and answer what is recorded, so a retry never records twice. An
 * ended partnership is refused by the caller (the lifecycle's `endedRejection`).
 */
export function decideKnowledge(
  knowledge: KnowledgeState,
  organisationIds: readonly string[],
  action: KnowledgeAction,
  /** The id of what the action adds: a topic's key, a request's id. */
  newTopicKey: string,
  /** The partner organisations' contacts (whom a request may ask). */
  contactIds: readonly string[] = [],
): KnowledgeDecision {
  switch (action.type) {
    case 'addTopic': {
      const title = typeof action.title === 'string' ? action.title.trim() : '';
      if (!title || title.length > MAX_KNOWLEDGE_TOPIC_TITLE_LENGTH) {
        return refuse('VALIDATION_FAILED', 'Invalid topic', [
          {
            field: 'title',
            messages: [`title must be 1 to ${MAX_KNOWLEDGE_TOPIC_TITLE_LENGTH} characters`],
          },
        ]);
      }
      const same = knowledge.topics.find((t) => t.title.toLowerCase() === title.toLowerCase());
      if (same) return { ok: true, knowledge, events: [], topicKey: same.key };
      if (knowledge.topics.length >= MAX_KNOWLEDGE_TOPICS) {
        return refuse(
          'KNOWLEDGE_TOPIC_LIMIT',
          `A partnership has at most ${MAX_KNOWLEDGE_TOPICS} topics`,
        );
      }
      const topic: KnowledgeTopic = {
        key: newTopicKey,
        title,
        required: action.required,
        source: 'custom',
      };
      return {
        ok: true,
        knowledge: { ...knowledge, topics: [...knowledge.topics, topic] },
        events: [
          {
            type: 'knowledge.topic_added',
            payload: { topicKey: topic.key, title, required: topic.required },
          },
        ],
        topicKey: topic.key,
      };
    }
    case 'contribute': {
      if (!knowledge.topics.some((t) => t.key === action.topicKey))
        return refuse('KNOWLEDGE_TOPIC_NOT_FOUND', `No knowledge topic ${action.topicKey}`);
      if (!organisationIds.includes(action.organisationId))
        return refuse(
          'KNOWLEDGE_NOT_A_PARTNER',
          `Organisation ${action.organisationId} is not a partner of this partnership`,
        );
      const errors = contributionProblems(action);
      if (errors.length > 0) return refuse('VALIDATION_FAILED', 'Invalid contribution', errors);
      const { topicKey, organisationId, text, language, links } = normalisedContribution(action);
      const key = knowledgePairKey(topicKey, organisationId);
      const fingerprint = contributionFingerprint({ text, language, links });
      const last = knowledge.contributions[key];
      if (last?.fingerprint === fingerprint)
        return { ok: true, knowledge, events: [], topicKey, revision: last.revision };
      const revision = (last?.revision ?? 0) + 1;
      return {
        ok: true,
        knowledge: {
          ...knowledge,
          contributions: { ...knowledge.contributions, [key]: { revision, fingerprint } },
        },
        events: [
          {
            type: 'knowledge.contributed',
            payload: { topicKey, organisationId, revision, text, language, links },
          },
        ],
        topicKey,
        revision,
      };
    }
    case 'setGate': {
      if (knowledge.requireContributions === action.requireContributions)
        return { ok: true, knowledge, events: [] };
      return {
        ok: true,
        knowledge: { ...knowledge, requireContributions: action.requireContributions },
        events: [
          {
            type: 'knowledge.gate_changed',
            payload: { requireContributions: action.requireContributions },
          },
        ],
      };
    }
    case 'request': {
      const asked = [...new Set(action.contactIds)];
      if (asked.length === 0 || asked.length > MAX_KNOWLEDGE_REQUEST_CONTACTS)
        return refuse('VALIDATION_FAILED', 'Invalid request', [
          {
            field: 'contactIds',
            messages: [`name 1 to ${MAX_KNOWLEDGE_REQUEST_CONTACTS} contacts`],
          },
        ]);
      const strangers = asked.filter((c) => !contactIds.includes(c));
      if (strangers.length > 0)
        return refuse(
          'ASSIGNEE_NOT_A_CONTACT',
          `Not contacts of a partner organisation: ${strangers.join(', ')}`,
        );
      return {
        ok: true,
        knowledge,
        events: [
          { type: 'knowledge.requested', payload: { requestId: newTopicKey, contactIds: asked } },
        ],
      };
    }
    default: {
      const unknown: never = action;
      throw new Error(`unknown knowledge action ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Whether every organisation has now contributed to `topicKey`: then the default template's task
 * of that topic (`knowledge_sharing.<key>`) is done.
 */
export function topicComplete(
  knowledge: KnowledgeState,
  organisationIds: readonly string[],
  topicKey: string,
): boolean {
  return (
    organisationIds.length > 0 &&
    organisationIds.every((o) => knowledge.contributions[knowledgePairKey(topicKey, o)])
  );
}

/** The timeline events knowledge sharing records. */
export const KNOWLEDGE_EVENT_TYPES = [
  'knowledge.topic_added',
  'knowledge.contributed',
  'knowledge.gate_changed',
] as const;

/** A contribution as the read model holds it: its latest revision, who wrote it and when. */
export interface KnowledgeContribution extends KnowledgeContributionInput {
  revision: number;
  author: EventActor;
  at: string;
}

/** The knowledge recorded on a partnership's timeline, folded: state and latest contributions. */
export interface KnowledgeRecord {
  knowledge: KnowledgeState;
  /** By `knowledgePairKey`; the latest revision of each. */
  contributions: Record<string, KnowledgeContribution>;
}

/** A recorded timeline event, as far as the fold reads it. */
export interface RecordedKnowledgeEvent {
  type: string;
  actor: EventActor;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/**
 * Folds a partnership's `knowledge.*` events (in sequence order) into what the workflow decided:
 * the same state its gate reads, and the latest revision of each contribution with its text.
 */
export function knowledgeFromEvents(events: readonly RecordedKnowledgeEvent[]): KnowledgeRecord {
  let knowledge = initialKnowledge();
  const contributions: Record<string, KnowledgeContribution> = {};
  for (const event of events) {
    const p = event.payload;
    if (event.type === 'knowledge.topic_added') {
      const topic: KnowledgeTopic = {
        key: String(p.topicKey),
        title: String(p.title),
        required: p.required === true,
        source: 'custom',
      };
      knowledge = { ...knowledge, topics: [...knowledge.topics, topic] };
    } else if (event.type === 'knowledge.gate_changed') {
      knowledge = { ...knowledge, requireContributions: p.requireContributions === true };
    } else if (event.type === 'knowledge.contributed') {
      const input: KnowledgeContributionInput = {
        topicKey: String(p.topicKey),
        organisationId: String(p.organisationId),
        text: String(p.text),
        language: isLanguage(p.language) ? p.language : 'en',
        links: Array.isArray(p.links) ? p.links.map(String) : [],
      };
      const key = knowledgePairKey(input.topicKey, input.organisationId);
      const revision = Number(p.revision);
      contributions[key] = { ...input, revision, author: event.actor, at: event.occurredAt };
      knowledge = {
        ...knowledge,
        contributions: {
          ...knowledge.contributions,
          [key]: { revision, fingerprint: contributionFingerprint(input) },
        },
      };
    }
  }
  return { knowledge, contributions };
}
