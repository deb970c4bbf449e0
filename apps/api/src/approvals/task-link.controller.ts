import type { FastifyReply } from 'fastify';
import { assertTaskBoundTo } from '@libs/approval-links';
import {
  approvalSubjectTitle,
  DomainError,
  ErrorCode,
  isTerminalStatus,
  MAX_TASK_REPORT_LENGTH,
  stageName,
  taskTitle,
} from '@libs/domain';
import type { Language, TaskReport } from '@libs/domain';
import {
  formText,
  OpenLink,
  PartnerForm,
  PartnerLinkController,
  PartnerLinkPage,
} from './partner-link.controller';
import { sendPage } from './partner-page';
import { renderTaskPage, TaskPageWords, taskWords } from './task-page';
import { ApprovalsService } from './approvals.service';
import { formatDateTime, MESSAGES } from '@libs/notifications';
import { TaskLinkResolution, TaskLinksService } from './task-links.service';
import {
  commentOf,
  isCommentForm,
  PartnerCommentsService,
  partnerCommentWords,
} from './partner-comment';

type Target = Extract<TaskLinkResolution, { ok: true }>;

/**
 * The page a partner contact reaches from an overdue-task e-mail: no account, a signed link bound
 * to one partnership, one task and one contact. They mark the task done (with a comment) or say
 * what blocks it. HTML forms only, so it works without JavaScript; nothing is ever done twice.
 */
@PartnerLinkPage('t')
export class TaskLinkController extends PartnerLinkController<Target, TaskPageWords> {
  protected readonly words = taskWords;

  constructor(
    private readonly links: TaskLinksService,
    private readonly approvals: ApprovalsService,
    private readonly comments: PartnerCommentsService,
  ) {
    super();
  }

  protected resolve(token: string, acceptLanguage: string | undefined) {
    return this.links.resolve(token, acceptLanguage);
  }

  /** The contact's report: done or blocked. */
  protected async act(link: OpenLink<Target>, form: PartnerForm, reply: FastifyReply) {
    const { target, language } = link;
    const w = this.words(language);
    if (isCommentForm(form)) return this.comment(link, form, reply);
    const refusal = this.refusal(target, language);
    if (refusal) return sendPage(reply, assigned(target) ? 409 : 403, refusal);
    const report = reportOf(form, target.task.id);
    if (!report) return sendPage(reply, 400, this.page(link, w.chooseAction()));
    try {
      await this.links.report(target, report);
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.TASK_NEEDS_APPROVAL) {
        return sendPage(
          reply,
          409,
          this.message(language, await this.answeredByApproval(target, language)),
        );
      }
      const alert = (text: string) => this.message(language, text, 'alert');
      return this.sendFailure(reply, language, err, {
        [ErrorCode.REASON_REQUIRED]: () => [400, this.page(link, w.reasonRequired())],
        [ErrorCode.TASK_ALREADY_DONE]: () => [409, alert(w.alreadyDone())],
        [ErrorCode.NOTHING_TO_CHANGE]: () => [409, alert(w.blockAlreadyReported())],
        [ErrorCode.TASK_NOT_ASSIGNED]: () => [403, alert(w.notAssigned())],
        [ErrorCode.PARTNERSHIP_CLOSED]: () => [
          409,
          alert(w.ended({ status: w.statuses.closed() })),
        ],
        [ErrorCode.PARTNERSHIP_AGREED]: () => [
          409,
          alert(w.ended({ status: w.statuses.agreed() })),
        ],
        [ErrorCode.TASK_NOT_FOUND]: () => [400, alert(w.invalid())],
      });
    }
    sendPage(
      reply,
      200,
      this.message(language, report.kind === 'done' ? w.thanksDone() : w.thanksBlocked()),
    );
  }

  /**
   * The contact's comment on the task, for the coordinator: taken while the task is theirs and
   * the partnership runs (done or not). The form's nonce names it, so a resent form is one comment.
   */
  private async comment(link: OpenLink<Target>, form: PartnerForm, reply: FastifyReply) {
    const { target, language } = link;
    const w = this.words(language);
    const c = partnerCommentWords(language);
    const { partnership, contact } = target;
    if (isTerminalStatus(partnership.status)) {
      const ended = w.ended({ status: w.statuses[partnership.status]() });
      return sendPage(reply, 409, this.message(language, ended));
    }
    if (!assigned(target)) {
      return sendPage(reply, 403, this.message(language, w.notAssigned(), 'alert'));
    }
    const comment = commentOf(form, { partnershipId: partnership.id, contactId: contact.id });
    if (!comment.ok) return sendPage(reply, 400, this.page(link, c[comment.problem]()));
    try {
      await this.comments.record(partnership.id, contact, {
        commentId: comment.commentId,
        text: comment.text,
        taskId: target.task.id,
      });
    } catch (err) {
      const alert = (message: string) => this.message(language, message, 'alert');
      return this.sendFailure(reply, language, err, {
        [ErrorCode.COMMENT_REQUIRED]: () => [400, this.page(link, c.required())],
        [ErrorCode.CONTACT_NOT_FOUND]: () => [403, alert(w.notAssigned())],
        [ErrorCode.PARTNERSHIP_CLOSED]: () => [
          409,
          alert(w.ended({ status: w.statuses.closed() })),
        ],
        [ErrorCode.PARTNERSHIP_AGREED]: () => [
          409,
          alert(w.ended({ status: w.statuses.agreed() })),
        ],
        [ErrorCode.TASK_NOT_FOUND]: () => [400, alert(w.invalid())],
      });
    }
    sendPage(reply, 200, this.message(language, c.thanks()));
  }

  /**
   * Why a task the partners' approval completes is not marked done from its link, and, when the
   * contact's own approval of it is awaited, which e-mail to answer it from and by when.
   */
  private async answeredByApproval(target: Target, language: Language): Promise<string> {
    const w = taskWords(language);
    const { contact, task, partnership } = target;
    for (let page = 1; ; page++) {
      const found = await this.approvals.list(partnership.id, { page, pageSize: 100 });
      const pending = found.items.find(
        (a) =>
          a.status === 'pending' &&
          a.subject.kind === 'task' &&
          a.subject.taskId === task.id &&
          a.awaiting.includes(contact.id),
      );
      if (pending) {
        // The e-mail's subject as the contact received it: in the contact's language.
        const email = MESSAGES[contact.language].approvalRequest.subject({
          subject: approvalSubjectTitle(
            pending.subject,
            contact.language,
            task.titles && { [task.id]: task.titles },
          ),
          partnership: partnership.title,
        });
        const deadline = formatDateTime(new Date(pending.deadline), language, contact.timeZone);
        return w.approvalPending({ email, deadline });
      }
      if (page * found.pageSize >= found.total) return w.answeredByApproval();
    }
  }

  /** Why the contact cannot report on the task now (ended, done, not theirs), as a page. */
  protected refusal(target: Target, language: Language): string | undefined {
    const { task, partnership } = target;
    const w = this.words(language);
    if (isTerminalStatus(partnership.status)) {
      return this.message(language, w.ended({ status: w.statuses[partnership.status]() }));
    }
    if (!assigned(target)) return this.message(language, w.notAssigned(), 'alert');
    if (task.status === 'done') return this.message(language, w.alreadyDone());
    return undefined;
  }

  protected page({ token, target, language }: OpenLink<Target>, notice?: string): string {
    const { contact, task, partnership } = target;
    return renderTaskPage({
      language,
      contactName: contact.name,
      partnershipTitle: partnership.title,
      taskTitle: taskTitle(task, language),
      stageName: stageName(task.stage, language),
      dueDate: task.dueDate,
      coordinator: { name: partnership.coordinatorName, email: partnership.coordinatorEmail },
      formAction: `/t/${token}`,
      notice,
    });
  }
}

/** The link is bound to the task as recorded: that partnership's task, assigned to that contact. */
function assigned(target: Target): boolean {
  return assertTaskBoundTo(target.claims, {
    partnershipId: target.partnership.id,
    id: target.task.id,
    assigneeContactId: target.task.assigneeContactId,
  });
}

/** The form's report, or undefined when it is neither form of the page. */
function reportOf(form: PartnerForm, taskId: string): TaskReport | undefined {
  switch (form?.action) {
    case 'done':
      return {
        kind: 'done',
        taskId,
        comment: formText(form, 'comment', MAX_TASK_REPORT_LENGTH) || null,
      };
    case 'blocked':
      return {
        kind: 'blocked',
        taskId,
        reason: formText(form, 'reason', MAX_TASK_REPORT_LENGTH) ?? '',
      };
    default:
      return undefined;
  }
}
