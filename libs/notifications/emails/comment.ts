import { compose, inLanguage, linkAndFooter, oneLine, p } from './layout';
import type { BaseEmailInput, Block, LinkOptional, Localized, RenderedEmail } from './layout';

/** Tells a partner contact of a coordinator's comment on the partnership or one of its tasks. */
export interface CommentEmailInput extends LinkOptional<BaseEmailInput> {
  recipientName: string;
  /** Who wrote it (the coordinator, or whoever acted for them). */
  authorName: string;
  /** Whom to answer: the partnership's coordinator. */
  coordinatorName: string;
  coordinatorEmail: string;
  /** The comment as written. Shown quoted. */
  text: string;
  /** The task it is on, per language for a template task; absent for the partnership. */
  taskTitle?: Localized;
  /** The recipient's page of the task (their own signed link), when the task is theirs. */
  link?: string;
}

export function renderCommentEmail(input: CommentEmailInput): RenderedEmail {
  return compose(input, (language, m) => {
    const task = input.taskTitle === undefined ? undefined : inLanguage(input.taskTitle, language);
    const vars = { author: input.authorName, partnership: input.partnershipTitle };
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
        p(m.comment.answer, { coordinator: input.coordinatorName, email: input.coordinatorEmail }),
        ...(input.link
          ? linkAndFooter(m, m.comment.action(), input.link)
          : [{ kind: 'footer', value: m.footer() } satisfies Block]),
      ],
    };
  });
}
