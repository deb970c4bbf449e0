import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  contributionProblems,
  DomainError,
  ErrorCode,
  isLanguage,
  isTerminalStatus,
  knowledgePairKey,
  knowledgeTopicTitle,
  MAX_KNOWLEDGE_LINKS,
  MAX_KNOWLEDGE_TEXT_LENGTH,
} from '@libs/domain';
import type { Language } from '@libs/domain';
import { readerLanguage } from '@libs/notifications';
import { Public } from '../auth/auth.decorators';
import { sendPage, sendRefusal, sendUnavailable } from '../approvals/partner-page';
import { renderKnowledgeMessagePage, renderKnowledgePage, knowledgeWords } from './knowledge-page';
import { KnowledgeLinkResolution, KnowledgeLinksService } from './knowledge-links.service';

type Target = Extract<KnowledgeLinkResolution, { ok: true }>;

/**
 * The page a partner contact reaches from a "please share your knowledge" e-mail: no account, a
 * signed link bound to one partnership and one contact. They write their organisation's
 * contribution to each topic, in their language. HTML forms only; the same text again changes
 * nothing.
 */
@ApiExcludeController()
@Public() // partner contacts have no account: the signed link is their credential
@Controller('k')
export class KnowledgeLinkController {
  constructor(private readonly links: KnowledgeLinksService) {}

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.target(token, acceptLanguage, reply);
    if (!target) return;
    const language = readerLanguage(target.contact.language, acceptLanguage);
    const ended = this.ended(target, language);
    if (ended) return sendPage(reply, 200, ended);
    sendPage(reply, 200, this.page(token, target, language));
  }

  @Post(':token')
  async contribute(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Body() body: Record<string, unknown> | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.target(token, acceptLanguage, reply);
    if (!target) return;
    const language = readerLanguage(target.contact.language, acceptLanguage);
    const w = knowledgeWords(language);
    const ended = this.ended(target, language);
    if (ended) return sendPage(reply, 409, ended);
    const input = contributionOf(body, language);
    const topic = target.record.knowledge.topics.find((t) => t.key === input.topicKey);
    if (!topic)
      return sendPage(reply, 400, this.page(token, target, language, { text: w.unknownTopic() }));
    const problems = contributionProblems(input);
    if (problems.length > 0) {
      const text = problems.some((p) => p.field === 'text')
        ? w.textRequired()
        : w.invalidLinks({ max: String(MAX_KNOWLEDGE_LINKS) });
      return sendPage(
        reply,
        400,
        this.page(token, target, language, { text, topicKey: topic.key }),
      );
    }
    const message = (status: number, text: string, tone: 'status' | 'alert' = 'alert') =>
      sendPage(reply, status, renderKnowledgeMessagePage(language, text, tone));
    let changed: boolean;
    try {
      ({ changed } = await this.links.contribute(target, input));
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      switch (err.code) {
        case ErrorCode.KNOWLEDGE_TOPIC_NOT_FOUND:
          return message(400, w.unknownTopic());
        case ErrorCode.KNOWLEDGE_NOT_A_PARTNER:
          return message(403, w.notPartner());
        case ErrorCode.VALIDATION_FAILED:
          return message(400, w.invalidLinks({ max: String(MAX_KNOWLEDGE_LINKS) }));
        case ErrorCode.PARTNERSHIP_CLOSED:
          return message(409, w.ended({ status: w.statuses.closed() }));
        case ErrorCode.PARTNERSHIP_AGREED:
          return message(409, w.ended({ status: w.statuses.agreed() }));
        case ErrorCode.DEPENDENCY_UNAVAILABLE:
          return sendUnavailable(reply, err, (taken) =>
            taken
              ? renderKnowledgeMessagePage(language, w.received())
              : renderKnowledgeMessagePage(language, w.unavailable(), 'alert'),
          );
        default:
          throw err;
      }
    }
    const title = knowledgeTopicTitle(topic, language);
    message(200, changed ? w.thanks({ topic: title }) : w.unchanged(), 'status');
  }

  private ended(target: Target, language: Language): string | undefined {
    const { status } = target.partnership;
    if (!isTerminalStatus(status)) return undefined;
    const w = knowledgeWords(language);
    return renderKnowledgeMessagePage(language, w.ended({ status: w.statuses[status]() }));
  }

  private page(
    token: string,
    target: Target,
    language: Language,
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

  /** The link's target; for a link that is not (or no longer) valid, answers the page itself. */
  private async target(
    token: string,
    acceptLanguage: string | undefined,
    reply: FastifyReply,
  ): Promise<Target | undefined> {
    const resolved = await this.links.resolve(token, acceptLanguage);
    if (!resolved.ok) return sendRefusal(reply, resolved, refusalPage);
    return resolved;
  }
}

function refusalPage(language: Language, expired: boolean): string {
  const w = knowledgeWords(language);
  return renderKnowledgeMessagePage(language, expired ? w.expired() : w.invalid(), 'alert');
}

/** The form's contribution: links one per line, blank lines dropped; the reader's language by default. */
function contributionOf(body: Record<string, unknown> | undefined, language: Language) {
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  return {
    topicKey: text(body?.topicKey).slice(0, 100),
    text: text(body?.text).slice(0, MAX_KNOWLEDGE_TEXT_LENGTH + 1),
    language: isLanguage(body?.language) ? body.language : language,
    links: text(body?.links)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0),
  };
}
