import { Injectable } from '@nestjs/common';
import { assertKnowledgeBoundTo, verifyKnowledgeLink } from '@libs/approval-links';
import type { VerifiedKnowledgeLinkClaims } from '@libs/approval-links';
import {
  ContactEntity,
  OrganisationEntity,
  OrganisationsRepository,
  PartnershipEntity,
} from '@libs/db';
import { contactActor } from '@libs/domain';
import type { KnowledgeContributionInput, KnowledgeRecord } from '@libs/domain';
import type { ShareKnowledgeResult } from '@workflows/partnership/partnership.contract';
import { LinkResolution, PartnerLinksService } from '../approvals/partner-links.service';
import { PartnershipReadService } from '../partnerships/partnership-read.service';
import { KnowledgeService } from './knowledge.service';

/** What a genuine knowledge link points at, as recorded now. */
export interface KnowledgeLinkTarget {
  claims: VerifiedKnowledgeLinkClaims;
  contact: ContactEntity;
  /** The contact's organisation: the only one the contributions are for. */
  organisation: OrganisationEntity;
  partnership: PartnershipEntity;
  record: KnowledgeRecord;
}

export type KnowledgeLinkResolution = LinkResolution<KnowledgeLinkTarget>;

/**
 * Knowledge links: a partner contact's signed link to write their organisation's contributions.
 * The link is the credential; the organisation is the contact's as recorded, never the request's.
 */
@Injectable()
export class KnowledgeLinksService {
  constructor(
    private readonly links: PartnerLinksService,
    private readonly organisations: OrganisationsRepository,
    private readonly read: PartnershipReadService,
    private readonly knowledge: KnowledgeService,
  ) {}

  resolve(token: string, acceptLanguage: string | undefined): Promise<KnowledgeLinkResolution> {
    return this.links.resolve(verifyKnowledgeLink, token, acceptLanguage, async (claims) => {
      const [contact, partnership] = await Promise.all([
        this.organisations.findContact(claims.contactId),
        this.read.find(claims.partnershipId),
      ]);
      if (!contact || !partnership) return undefined;
      const organisations = partnership.organisations ?? [];
      const organisationId = assertKnowledgeBoundTo(claims, {
        id: partnership.id,
        organisations: organisations.map((o) => ({
          id: o.id,
          contactIds: (o.contacts ?? []).map((c) => c.id),
        })),
      });
      const organisation = organisations.find((o) => o.id === organisationId);
      // A genuine link whose contact is no longer a partner's is refused like a foreign one.
      if (!organisation) return undefined;
      const record = await this.read.knowledgeOf(partnership.id);
      return { claims, contact, organisation, partnership, record };
    });
  }

  /** Records the contribution through the partnership's workflow; refusals as DomainErrors. */
  contribute(
    target: KnowledgeLinkTarget,
    input: Omit<KnowledgeContributionInput, 'organisationId'>,
  ): Promise<ShareKnowledgeResult> {
    return this.knowledge.share(contactActor(target.contact), target.partnership.id, {
      type: 'contribute',
      organisationId: target.organisation.id,
      ...input,
    });
  }
}
