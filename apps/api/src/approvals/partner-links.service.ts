import { Injectable } from '@nestjs/common';
import type { LinkVerification, VerifiedClaims } from '@libs/approval-links';
import { AppConfig, approvalLinkSecrets } from '@libs/config';
import { OrganisationsRepository } from '@libs/db';
import type { Language } from '@libs/domain';
import { readerLanguage } from '@libs/notifications';

/** A partner link that does not open, and how to answer it. */
export interface LinkRefusal {
  ok: false;
  /** 410: genuine but expired; 400: tampered, foreign, or naming what is no longer there. */
  status: 400 | 410;
  language: Language;
}

/** What a partner link points at, as recorded now, or how to refuse it. */
export type LinkResolution<Target> = ({ ok: true } & Target) | LinkRefusal;

/**
 * What the partner pages (`/a/`, `/t/`, `/e/`, `/k/:token`) share: a link verifies with any secret of
 * the rotation (APPROVAL_LINK_SECRET, then APPROVAL_LINK_PREVIOUS_SECRETS), and a refused one is
 * answered the same way, only in the words of its own page.
 */
@Injectable()
export class PartnerLinksService {
  constructor(
    private readonly config: AppConfig,
    private readonly organisations: OrganisationsRepository,
  ) {}

  /** Verifies `token` with `verify` (a kind's verifier) against every link secret. */
  private async open<Ids extends { contactId: string }>(
    verify: (token: string, secrets: string[]) => LinkVerification<Ids>,
    token: string,
    acceptLanguage: string | undefined,
  ): Promise<{ ok: true; claims: VerifiedClaims<Ids> } | LinkRefusal> {
    const verified = verify(token, approvalLinkSecrets(this.config));
    if (verified.ok) return { ok: true, claims: verified.claims };
    if (verified.reason !== 'expired') return this.foreign(acceptLanguage);
    // An expired link is genuine: it is answered in its contact's language.
    const contact = await this.organisations.findContact(verified.claims.contactId);
    return { ok: false, status: 410, language: readerLanguage(contact?.language, acceptLanguage) };
  }

  /**
   * Opens `token` and finds what it points at with `find`, from the verified claims only (never
   * an id of the request). A genuine link whose target is gone, or no longer bound to its
   * contact (`find` answers undefined), is refused like a foreign one.
   */
  async resolve<Ids extends { contactId: string }, Target extends object>(
    verify: (token: string, secrets: string[]) => LinkVerification<Ids>,
    token: string,
    acceptLanguage: string | undefined,
    find: (claims: VerifiedClaims<Ids>) => Promise<Target | undefined>,
  ): Promise<LinkResolution<Target>> {
    const opened = await this.open(verify, token, acceptLanguage);
    if (!opened.ok) return opened;
    const target = await find(opened.claims);
    return target ? { ok: true, ...target } : this.foreign(acceptLanguage);
  }

  /** A link that tells us nothing we may trust: the browser's language, then English. */
  private foreign(acceptLanguage: string | undefined): LinkRefusal {
    return { ok: false, status: 400, language: readerLanguage(null, acceptLanguage) };
  }
}
