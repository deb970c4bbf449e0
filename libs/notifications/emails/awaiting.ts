import { formatDateTime, formatList } from '../format';
import type { Messages } from '../messages';
import { checkDate, compose, inLanguage, linkAndFooter, p, titles } from './layout';
import type { ApprovalEmailInput, RenderedEmail } from './layout';

/** A request that still awaits people, told to its coordinator. */
export interface AwaitingEmailInput extends ApprovalEmailInput {
  coordinatorName: string;
  /** Names of the approvers who have not answered. */
  awaiting: string[];
  /** The request's deadline. */
  deadline: Date;
}

/** The words of one such e-mail, from the catalog. */
interface AwaitingWords {
  subject: Messages['escalation']['subject'];
  intro: Messages['escalation']['intro'];
  names: Messages['escalation']['awaiting'];
  action: Messages['escalation']['action'];
}

/**
 * The coordinator's e-mails about a request that still awaits people (escalation, expiry): a
 * subject, an intro with the deadline, who is awaited, and a link.
 */
export function renderAwaitingEmail(
  input: AwaitingEmailInput,
  who: string,
  pick: (m: Messages) => AwaitingWords,
): RenderedEmail {
  checkDate('deadline', input.deadline);
  if (input.awaiting.length === 0) throw new RangeError(`awaiting must name at least one ${who}`);
  return compose(input, (language, m) => {
    const words = pick(m);
    return {
      language,
      subject: words.subject(titles(input, language)),
      blocks: [
        p(m.greeting, { name: input.coordinatorName }),
        p(words.intro, {
          subject: inLanguage(input.subjectTitle, language),
          partnership: input.partnershipTitle,
          deadline: formatDateTime(input.deadline, language, input.timeZone),
        }),
        p(words.names, { names: formatList(input.awaiting, language) }),
        ...linkAndFooter(m, words.action(), input.link),
      ],
    };
  });
}
