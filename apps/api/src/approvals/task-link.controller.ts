import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { assertTaskBoundTo } from '@libs/approval-links';
import {
  DomainError,
  ErrorCode,
  isTerminalStatus,
  MAX_TASK_REPORT_LENGTH,
  stageName,
  taskTitle,
} from '@libs/domain';
import type { Language, TaskReport } from '@libs/domain';
import { Public } from '../auth/auth.decorators';
import { readerLanguage } from '@libs/notifications';
import { sendPage, sendRefusal, sendUnavailableMessage } from './partner-page';
import { renderTaskMessagePage, renderTaskPage, taskWords } from './task-page';
import { TaskLinkResolution, TaskLinksService } from './task-links.service';

/**
 * The page a partner contact reaches from an overdue-task e-mail: no account, a signed link bound
 * to one partnership, one task and one contact. They mark the task done (with a comment) or say
 * what blocks it. HTML forms only, so it works without JavaScript; nothing is ever done twice.
 */
@ApiExcludeController()
@Public() // partner contacts have no account: the signed link is their credential
@Controller('t')
export class TaskLinkController {
  constructor(private readonly links: TaskLinksService) {}

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.target(token, acceptLanguage, reply);
    if (!target) return;
    const language = readerLanguage(target.contact.language, acceptLanguage);
    const refusal = this.refusal(target, language);
    if (refusal) return sendPage(reply, 200, refusal);
    sendPage(reply, 200, this.page(token, target, language));
  }

  @Post(':token')
  async report(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Body() body: Record<string, unknown> | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.target(token, acceptLanguage, reply);
    if (!target) return;
    const language = readerLanguage(target.contact.language, acceptLanguage);
    const w = taskWords(language);
    const refusal = this.refusal(target, language);
    if (refusal) return sendPage(reply, assigned(target) ? 409 : 403, refusal);
    const report = reportOf(body, target.task.id);
    if (!report) return sendPage(reply, 400, this.page(token, target, language, w.chooseAction()));
    try {
      await this.links.report(target, report);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const message = (status: number, text: string) =>
        sendPage(reply, status, renderTaskMessagePage(language, text, 'alert'));
      switch (err.code) {
        case ErrorCode.REASON_REQUIRED:
          return sendPage(reply, 400, this.page(token, target, language, w.reasonRequired()));
        case ErrorCode.TASK_ALREADY_DONE:
          return message(409, w.alreadyDone());
        case ErrorCode.NOTHING_TO_CHANGE:
          return message(409, w.blockAlreadyReported());
        case ErrorCode.TASK_NOT_ASSIGNED:
          return message(403, w.notAssigned());
        case ErrorCode.PARTNERSHIP_CLOSED:
          return message(409, w.ended({ status: w.statuses.closed() }));
        case ErrorCode.PARTNERSHIP_AGREED:
          return message(409, w.ended({ status: w.statuses.agreed() }));
        case ErrorCode.TASK_NOT_FOUND:
          return message(400, w.invalid());
        case ErrorCode.DEPENDENCY_UNAVAILABLE:
          return sendUnavailableMessage(
            reply,
            err,
            (m, tone) => renderTaskMessagePage(language, m, tone),
            w,
          );
        default:
          throw err;
      }
    }
    sendPage(
      reply,
      200,
      renderTaskMessagePage(language, report.kind === 'done' ? w.thanksDone() : w.thanksBlocked()),
    );
  }

  /** Why the contact cannot report on the task now (ended, done, not theirs), as a page. */
  private refusal(target: Target, language: Language): string | undefined {
    const { task, partnership } = target;
    const w = taskWords(language);
    if (isTerminalStatus(partnership.status)) {
      return renderTaskMessagePage(language, w.ended({ status: w.statuses[partnership.status]() }));
    }
    if (!assigned(target)) {
      return renderTaskMessagePage(language, w.notAssigned(), 'alert');
    }
    if (task.status === 'done') return renderTaskMessagePage(language, w.alreadyDone());
    return undefined;
  }

  private page(token: string, target: Target, language: Language, notice?: string): string {
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

/** The page of a link that does not open, in the task page's words. */
function refusalPage(language: Language, expired: boolean): string {
  const w = taskWords(language);
  return renderTaskMessagePage(language, expired ? w.expired() : w.invalid(), 'alert');
}

type Target = Extract<TaskLinkResolution, { ok: true }>;

/** The link is bound to the task as recorded: that partnership's task, assigned to that contact. */
function assigned(target: Target): boolean {
  return assertTaskBoundTo(target.claims, {
    partnershipId: target.partnership.id,
    id: target.task.id,
    assigneeContactId: target.task.assigneeContactId,
  });
}

/** The form's report, or undefined when it is neither form of the page. */
function reportOf(
  body: Record<string, unknown> | undefined,
  taskId: string,
): TaskReport | undefined {
  const text = (value: unknown): string =>
    typeof value === 'string' ? value.slice(0, MAX_TASK_REPORT_LENGTH) : '';
  switch (body?.action) {
    case 'done':
      return { kind: 'done', taskId, comment: text(body.comment) || null };
    case 'blocked':
      return { kind: 'blocked', taskId, reason: text(body.reason) };
    default:
      return undefined;
  }
}
