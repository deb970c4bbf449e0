import type { FastifyReply } from 'fastify';
import { assertBoundTo, verifyApprovalLink } from '@libs/approval-links';
import { ContactEntity, OrganisationsRepository } from '@libs/db';
import { approvalSubjectTitle, ErrorCode, isTerminalStatus } from '@libs/domain';
import type { Language, TemplateTaskTitles } from '@libs/domain';
import { PartnershipReadService } from '../partnerships/partnership-read.service';
import { ApprovalPageWords, outcomeWord, renderApprovalPage, words } from './approval-page';
import { ApprovalsService } from './approvals.service';
import {
  formText,
  OpenLink,
  PartnerForm,
  PartnerLinkController,
  PartnerLinkPage,
} from './partner-link.controller';
import { PartnerLinksService } from './partner-links.service';
import {
  commentOf,
  isCommentForm,
  PartnerCommentsService,
  partnerCommentWords,
} from './partner-comment';
import { sendPage } from './partner-page';

/** A genuine link's approval, contact and partnership. */
interface Target {
  contact: ContactEntity;
  approval: Awaited<ReturnType<ApprovalsService['get']>>;
  partnership: Awaited<ReturnType<PartnershipReadService['requireRow']>>;
  /** The partnership's template task titles (a task subject in its template version's words). */
  titles: TemplateTaskTitles;
}

/**
 * The page partner contacts reach from their e-mail: no account, a signed link bound to one
 * approval and one contact. HTML forms only, so it works without JavaScript.
 */
@PartnerLinkPage('a')
export class ApprovalLinkController extends PartnerLinkController<Target, ApprovalPageWords> {
  protected readonly words = words;

  constructor(
    private readonly approvals: ApprovalsService,
    private readonly read: PartnershipReadService,
    private readonly links: PartnerLinksService,
    private readonly organisations: OrganisationsRepository,
    private readonly comments: PartnerCommentsService,
  ) {
    super();
  }

  /** The link's approval and contact, bound to each other, and the approval's partnership. */
  protected resolve(token: string, acceptLanguage: string | undefined) {
    return this.links.resolve(verifyApprovalLink, token, acceptLanguage, async (claims) => {
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
      const titles = await this.read.templateTitlesOf(partnership.id);
      return { contact, approval, partnership, titles };
    });
  }

  /** The contact's decision: approve, or reject (with a comment). */
  protected async act(link: OpenLink<Target>, form: PartnerForm, reply: FastifyReply) {
    const { target, language } = link;
    const { contact, approval } = target;
    const w = this.words(language);
    if (isCommentForm(form)) return this.comment(link, form, reply);
    const decision = form?.decision;
    const comment = formText(form, 'comment', 2000);
    if (decision !== 'approve' && decision !== 'reject') {
      return sendPage(reply, 400, this.page(link));
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
      return this.sendFailure(reply, language, err, {
        [ErrorCode.COMMENT_REQUIRED]: () => [400, this.page(link, w.commentRequired())],
        [ErrorCode.ALREADY_DECIDED]: ({ details }) => {
          const recorded = (details.recorded as { decision?: { outcome: string } } | null)?.decision
            ?.outcome;
          return [409, this.alreadyDecided(language, recorded ?? '')];
        },
        [ErrorCode.APPROVAL_CLOSED]: ({ details }) => {
          const status = (details.recorded as { status?: string } | null)?.status ?? '';
          return [409, this.closed(language, status)];
        },
        [ErrorCode.NOT_AN_APPROVER]: () => [403, this.message(language, w.notApprover())],
      });
    }
    sendPage(
      reply,
      200,
      this.message(language, decision === 'approve' ? w.thanksApproved() : w.thanksRejected()),
    );
  }

  /**
   * The contact's comment for the coordinator (on the request's task, when it is about one):
   * taken while the partnership runs; the form's nonce names it, so a resent form is one comment.
   */
  private async comment(link: OpenLink<Target>, form: PartnerForm, reply: FastifyReply) {
    const { target, language } = link;
    const { contact, approval, partnership } = target;
    const c = partnerCommentWords(language);
    if (isTerminalStatus(partnership.status)) {
      return sendPage(reply, 409, this.closed(language, approval.status));
    }
    const comment = commentOf(form, { partnershipId: partnership.id, contactId: contact.id });
    if (!comment.ok) return sendPage(reply, 400, this.page(link, c[comment.problem]()));
    try {
      await this.comments.record(partnership.id, contact, {
        commentId: comment.commentId,
        text: comment.text,
        ...(approval.subject.kind === 'task' ? { taskId: approval.subject.taskId } : {}),
      });
    } catch (err) {
      const alert = (message: string) => this.message(language, message, 'alert');
      return this.sendFailure(reply, language, err, {
        [ErrorCode.COMMENT_REQUIRED]: () => [400, this.page(link, c.required())],
        [ErrorCode.CONTACT_NOT_FOUND]: () => [403, alert(this.words(language).notApprover())],
        [ErrorCode.PARTNERSHIP_CLOSED]: () => [409, this.closed(language, approval.status)],
        [ErrorCode.PARTNERSHIP_AGREED]: () => [409, this.closed(language, approval.status)],
        // The request's task was removed since: the comment is about the partnership then.
        [ErrorCode.TASK_NOT_FOUND]: () => [409, alert(this.words(language).invalid())],
      });
    }
    sendPage(reply, 200, this.message(language, c.thanks()));
  }

  /** The contact has decided, or the request is no longer pending: the page says so. */
  protected refusal({ contact, approval }: Target, language: Language): string | undefined {
    const mine = approval.organisations
      .flatMap((o) => o.approvers)
      .find((a) => a.contactId === contact.id);
    if (mine?.decision) return this.alreadyDecided(language, mine.decision.outcome);
    if (approval.status !== 'pending') return this.closed(language, approval.status);
    return undefined;
  }

  protected page({ token, target, language }: OpenLink<Target>, notice?: string): string {
    const { contact, approval, partnership, titles } = target;
    return renderApprovalPage({
      language,
      contactName: contact.name,
      partnershipTitle: partnership.title,
      subjectTitle: approvalSubjectTitle(approval.subject, language, titles),
      subjectLink: approval.subject.kind === 'document' ? approval.subject.link : undefined,
      requestedBy: approval.requestedBy.name ?? approval.requestedBy.email ?? '',
      deadline: new Date(approval.deadline),
      timeZone: contact.timeZone,
      formAction: `/a/${token}`,
      coordinatorName: partnership.coordinatorName,
      notice,
    });
  }

  /** The contact's decision was recorded before (`outcome`): nothing changes. */
  private alreadyDecided(language: Language, outcome: string): string {
    const w = this.words(language);
    return this.message(language, w.alreadyDecided({ outcome: outcomeWord(w, outcome) ?? '' }));
  }

  /** The request is no longer pending (`status`): nothing changes. */
  private closed(language: Language, status: string): string {
    const w = this.words(language);
    return this.message(language, w.closed({ status: outcomeWord(w, status) ?? status }));
  }
}
