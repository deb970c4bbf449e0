import { compose, inLanguage, linkAndFooter, oneLine, p } from './layout';
import type { BaseEmailInput, Block, LinkOptional, Localized, RenderedEmail } from './layout';

/**
 * Tells of a comment on the partnership or one of its tasks: a coordinator's, to a partner
 * contact (who is told whom to answer), or a partner contact's, to the coordinator.
 */
export interface CommentEmailInput extends LinkOptional<BaseEmailInput> {
  recipientName: string;
  /** Who wrote it. */
  authorName: string;
  /** The comment as written. Shown quoted. */
  text: string;
  /** The task it is on, per language for a template task; absent for the partnership. */
  taskTitle?: Localized;
  /** To a partner contact: whom to answer (the partnership's coordinator). */
  answerTo?: { name: string; email: string };
  /**
   * The page to open: the recipient's own task page (a contact whose task it is), or the
   * partnership's page (the coordinator); absent: none.
   */
  link?: string;
  linkTo?: 'task' | 'partnership';
}

export function renderCommentEmail(input: CommentEmailInput): RenderedEmail {
  return compose(input, (language, m) => {
    const task = input.taskTitle === undefined ? undefined : inLanguage(input.taskTitle, language);
    const vars = { author: input.authorName, partnership: input.partnershipTitle };
    const action =
      input.linkTo === 'partnership' ? m.comment.actionPartnership() : m.comment.action();
    return {
      language,
      subject: task
        ? m.comment.subjectTask({
            task: oneLine(task),
            partnership: oneLine(input.partnershipTitle),
          })
        : m.comment.subject({ partnership: oneLine(input.partnershipTitle) }),
      blocks: [
        p(m.greeting, { name: input.recipientName }),
        task ? p(m.comment.introTask, { ...vars, task }) : p(m.comment.intro, vars),
        { kind: 'quote', value: input.text } satisfies Block,
        ...(input.answerTo
          ? [p(m.comment.answer, { coordinator: input.answerTo.name, email: input.answerTo.email })]
          : []),
        ...(input.link
          ? linkAndFooter(m, action, input.link)
          : [{ kind: 'footer', value: m.footer() } satisfies Block]),
      ],
    };
  });
}
