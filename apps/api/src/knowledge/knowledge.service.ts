import { Injectable } from '@nestjs/common';
import {
  contributionProblems,
  DomainError,
  ErrorCode,
  EventActor,
  knowledgeGaps,
  knowledgePairKey,
  KnowledgeAction,
  KnowledgeContribution,
} from '@libs/domain';
import type { PartnershipEntity } from '@libs/db';
import {
  shareKnowledgeUpdate,
  ShareKnowledgeResult,
} from '@workflows/partnership/partnership.contract';
import { PartnershipReadService } from '../partnerships/partnership-read.service';
import {
  endedRefusal,
  PartnershipUpdatesService,
} from '../partnerships/partnership-updates.service';
import {
  AddKnowledgeTopicDto,
  KnowledgeComparisonView,
  KnowledgeContributionDto,
  KnowledgeContributionView,
  KnowledgeGateView,
  KnowledgeRequestView,
  KnowledgeTopicAddedView,
  RequestKnowledgeDto,
  SetKnowledgeGateDto,
} from './knowledge.dto';
import { renderKnowledgeMarkdown } from './knowledge-markdown';
import { renderKnowledgePdf } from './knowledge-pdf';

/**
 * Knowledge sharing of a partnership: the comparison (topics × organisations, read from the
 * timeline the workflow projects) and the changes, each a `shareKnowledge` workflow update whose
 * validator runs the rule book in libs/domain/knowledge.ts.
 */
@Injectable()
export class KnowledgeService {
  constructor(
    private readonly read: PartnershipReadService,
    private readonly updates: PartnershipUpdatesService,
  ) {}

  async comparison(id: string): Promise<KnowledgeComparisonView> {
    return comparisonOf(await this.read.require(id), await this.read.knowledgeOf(id));
  }

  async markdown(id: string): Promise<string> {
    return renderKnowledgeMarkdown(await this.comparison(id), new Date());
  }

  async pdf(id: string): Promise<Buffer> {
    return renderKnowledgePdf(await this.comparison(id), new Date());
  }

  async addTopic(
    actor: EventActor,
    id: string,
    dto: AddKnowledgeTopicDto,
  ): Promise<KnowledgeTopicAddedView> {
    const result = await this.share(actor, id, {
      type: 'addTopic',
      title: dto.title,
      required: dto.required ?? true,
    });
    return { key: result.topicKey!, added: result.changed };
  }

  /** Records an organisation's contribution (a new revision when it differs from the last). */
  async contribute(
    actor: EventActor,
    id: string,
    topicKey: string,
    organisationId: string,
    dto: KnowledgeContributionDto,
  ): Promise<KnowledgeContributionView> {
    const input = { text: dto.text, language: dto.language, links: dto.links ?? [] };
    const errors = contributionProblems(input);
    if (errors.length > 0)
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid contribution', { errors });
    await this.share(actor, id, { type: 'contribute', topicKey, organisationId, ...input });
    const recorded = (await this.read.knowledgeOf(id)).contributions[
      knowledgePairKey(topicKey, organisationId)
    ];
    return contributionView(recorded);
  }

  async setGate(
    actor: EventActor,
    id: string,
    dto: SetKnowledgeGateDto,
  ): Promise<KnowledgeGateView> {
    const result = await this.share(actor, id, {
      type: 'setGate',
      requireContributions: dto.requireContributions,
    });
    return { requireContributions: result.requireContributions };
  }

  /** Asks partner contacts (all of them by default) for contributions, by e-mail with their link. */
  async request(
    actor: EventActor,
    id: string,
    dto: RequestKnowledgeDto,
  ): Promise<KnowledgeRequestView> {
    const row = await this.read.require(id);
    // By default every contact who takes part (deactivated ones are asked nothing).
    const contactIds = dto.contactIds ?? row.contactIds ?? [];
    await this.share(actor, id, { type: 'request', contactIds });
    return { contactIds: [...new Set(contactIds)] };
  }

  /** Sends the change to the workflow; an ended partnership is refused from the projection. */
  async share(
    actor: EventActor,
    id: string,
    action: KnowledgeAction,
  ): Promise<ShareKnowledgeResult> {
    const row = await this.read.requireRow(id);
    const ended = endedRefusal(row.status);
    if (ended) throw ended;
    return this.updates.execute(id, shareKnowledgeUpdate, { actor, action });
  }
}

export function contributionView(c: KnowledgeContribution): KnowledgeContributionView {
  return {
    topicKey: c.topicKey,
    organisationId: c.organisationId,
    revision: c.revision,
    text: c.text,
    language: c.language,
    links: c.links,
    author: { kind: c.author.kind, id: c.author.id, name: c.author.name },
    at: c.at,
  };
}

/** Topics × organisations, side by side in partner order, and what is still missing. */
export function comparisonOf(
  row: PartnershipEntity,
  record: Awaited<ReturnType<PartnershipReadService['knowledgeOf']>>,
): KnowledgeComparisonView {
  const organisations = (row.organisations ?? []).map((o) => ({
    id: o.id,
    name: o.name,
    country: o.country,
  }));
  const ids = organisations.map((o) => o.id);
  const { knowledge, contributions } = record;
  return {
    partnershipId: row.id,
    title: row.title,
    requireContributions: knowledge.requireContributions,
    organisations,
    topics: knowledge.topics.map((t) => ({
      ...t,
      sides: ids.map((organisationId) => {
        const c = contributions[knowledgePairKey(t.key, organisationId)];
        return { organisationId, contribution: c ? contributionView(c) : null };
      }),
    })),
    missing: knowledgeGaps({ ...knowledge, requireContributions: true }, ids),
  };
}
