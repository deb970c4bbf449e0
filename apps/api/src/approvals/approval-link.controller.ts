import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { assertBoundTo, verifyApprovalLink } from '@libs/approval-links';
import { ContactEntity, OrganisationsRepository } from '@libs/db';
import { approvalSubjectTitle, DomainError, ErrorCode } from '@libs/domain';
import type { Language } from '@libs/domain';
import { Public } from '../auth/auth.decorators';
import { PartnershipReadService } from '../partnerships/partnership-read.service';
import { readerLanguage } from '@libs/notifications';
import { outcomeWord, renderApprovalPage, renderMessagePage, words } from './approval-page';
import { sendPage as send, sendRefusal, sendUnavailableMessage } from './partner-page';
import { ApprovalsService } from './approvals.service';
import { PartnerLinksService } from './partner-links.service';

/**
 * The page partner contacts reach from their e-mail: no account, a signed link bound to one
 * approval and one contact. HTML forms only, so it works without JavaScript.
 */
@ApiExcludeController()
@Public() // partner contacts have no account: the signed link is their credential
@Controller('a')
export class ApprovalLinkController {
  constructor(
    private readonly approvals: ApprovalsService,
    private readonly read: PartnershipReadService,
    private readonly links: PartnerLinksService,
    private readonly organisations: OrganisationsRepository,
  ) {}

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const context = await this.resolve(token, acceptLanguage, reply);
    if (!context) return;
    const { contact, approval, language } = context;
    const w = words(language);
    const mine = approval.organisations
      .flatMap((o) => o.approvers)
      .find((a) => a.contactId === contact.id);
    if (mine?.decision) {
      return send(
        reply,
        200,
        renderMessagePage(
          language,
          w.alreadyDecided({ outcome: outcomeWord(w, mine.decision.outcome) ?? '' }),
        ),
      );
    }
    if (approval.status !== 'pending') {
      return send(
        reply,
        200,
        renderMessagePage(
          language,
          w.closed({ status: outcomeWord(w, approval.status) ?? approval.status }),
        ),
      );
    }
    send(reply, 200, this.page(token, context));
  }

  @Post(':token')
  async decide(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Body() body: Record<string, unknown> | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const context = await this.resolve(token, acceptLanguage, reply);
    if (!context) return;
    const { contact, approval, language } = context;
    const w = words(language);
    const decision = body?.decision;
    const comment = typeof body?.comment === 'string' ? body.comment.slice(0, 2000) : undefined;
    if (decision !== 'approve' && decision !== 'reject') {
      return send(reply, 400, this.page(token, context));
    }
    try {
      await this.approvals.decide(
        approval.id,
        contact.id,
        decision === 'approve' ? 'approved' : 'rejected',
        comment,
        {
          kind: 'contact',
          id: contact.id,
          name: contact.name,
          email: contact.email,
        },
      );
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      switch (err.code) {
        case ErrorCode.COMMENT_REQUIRED:
          return send(reply, 400, this.page(token, context, w.commentRequired()));
        case ErrorCode.ALREADY_DECIDED: {
          const recorded = (err.details.recorded as { decision?: { outcome: string } } | null)
            ?.decision?.outcome;
          return send(
            reply,
            409,
            renderMessagePage(
              language,
              w.alreadyDecided({ outcome: outcomeWord(w, recorded ?? '') ?? '' }),
            ),
          );
        }
        case ErrorCode.APPROVAL_CLOSED: {
          const status = (err.details.recorded as { status?: string } | null)?.status ?? '';
          return send(
            reply,
            409,
            renderMessagePage(language, w.closed({ status: outcomeWord(w, status) ?? status })),
          );
        }
        case ErrorCode.NOT_AN_APPROVER:
          return send(reply, 403, renderMessagePage(language, w.notApprover()));
        case ErrorCode.DEPENDENCY_UNAVAILABLE:
          return sendUnavailableMessage(
            reply,
            err,
            (m, tone) => renderMessagePage(language, m, tone),
            w,
          );
        default:
          throw err;
      }
    }
    send(
      reply,
      200,
      renderMessagePage(language, decision === 'approve' ? w.thanksApproved() : w.thanksRejected()),
    );
  }

  private page(token: string, context: LinkContext, notice?: string): string {
    const { contact, approval, partnership, language } = context;
    return renderApprovalPage({
      language,
      contactName: contact.name,
      partnershipTitle: partnership.title,
      subjectTitle: approvalSubjectTitle(approval.subject, language),
      subjectLink: approval.subject.kind === 'document' ? approval.subject.link : undefined,
      requestedBy: approval.requestedBy.name ?? approval.requestedBy.email ?? '',
      deadline: new Date(approval.deadline),
      timeZone: contact.timeZone,
      formAction: `/a/${token}`,
      notice,
    });
  }

  /** Verifies the token and its binding; answers the error page itself and returns undefined. */
  private async resolve(
    token: string,
    acceptLanguage: string | undefined,
    reply: FastifyReply,
  ): Promise<LinkContext | undefined> {
    const resolved = await this.links.resolve(
      verifyApprovalLink,
      token,
      acceptLanguage,
      async (claims) => {
        const contact = await this.organisations.findContact(claims.contactId);
        const approval = await this.approvals.get(claims.approvalId).catch(() => undefined);
        // A genuine token whose approval or contact no longer matches is refused like a foreign one.
        if (
          !contact ||
          !approval ||
          !assertBoundTo(claims, { approvalId: approval.id, contactId: contact.id })
        ) {
          return undefined;
        }
        const partnership = await this.read.requireRow(approval.partnershipId);
        return { contact, approval, partnership };
      },
    );
    if (!resolved.ok) return sendRefusal(reply, resolved, refusalPage);
    const { contact, approval, partnership } = resolved;
    return {
      contact,
      approval,
      partnership,
      language: readerLanguage(contact.language, acceptLanguage),
    };
  }
}

/** The page of a link that does not open, in the approval page's words. */
function refusalPage(language: Language, expired: boolean): string {
  const w = words(language);
  return renderMessagePage(language, expired ? w.expired() : w.invalid(), 'alert');
}

/** A genuine link's approval, contact and partnership, and the language to answer in. */
interface LinkContext {
  contact: ContactEntity;
  approval: Awaited<ReturnType<ApprovalsService['get']>>;
  partnership: Awaited<ReturnType<PartnershipReadService['requireRow']>>;
  language: Language;
}
