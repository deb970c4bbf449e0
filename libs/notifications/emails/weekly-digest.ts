import type { Stage } from '../../domain/partnership';
import { stageName } from '../../domain/words';
import { formatCalendarDate, formatDateTime, formatNumber } from '../format';
import { LOCALES } from '../language';
import { checkDate, compose, inLanguage, linkAndFooter, oneLine, p } from './layout';
import type { BaseEmailInput, Block, Localized, RenderedEmail } from './layout';

/** A coordinator's week (docs/digest.md), over every partnership they are a member of. */
export interface WeeklyDigestEmailInput extends Omit<BaseEmailInput, 'partnershipTitle'> {
  recipientName: string;
  /** The seven days covered: [from, to), shown as dates in the recipient's zone. */
  from: Date;
  to: Date;
  /** Stages entered forward in the period, oldest first. */
  advanced: readonly {
    partnershipTitle: string;
    stage: Stage;
    at: Date;
    link: string;
  }[];
  /** Per partnership and organisation, what waits on it (at least one of the two counts). */
  waiting: readonly {
    partnershipTitle: string;
    organisationName: string;
    approvals: number;
    tasks: number;
    link: string;
  }[];
  /** Open tasks past their due date (YYYY-MM-DD), earliest due first. */
  overdue: readonly {
    partnershipTitle: string;
    taskTitle: Localized;
    dueDate: string;
    link: string;
  }[];
}

/** The numbers the subject gives, the same the sections list. */
export function weeklyDigestCounts(
  input: Pick<WeeklyDigestEmailInput, 'advanced' | 'waiting' | 'overdue'>,
): {
  advanced: number;
  waiting: number;
  overdue: number;
} {
  return {
    advanced: input.advanced.length,
    waiting: input.waiting.reduce((sum, w) => sum + w.approvals + w.tasks, 0),
    overdue: input.overdue.length,
  };
}

/** What advanced, what waits on whom, what is overdue; a section with nothing says so. */
export function renderWeeklyDigestEmail(input: WeeklyDigestEmailInput): RenderedEmail {
  checkDate('from', input.from);
  checkDate('to', input.to);
  for (const a of input.advanced) checkDate('advanced.at', a.at);
  for (const w of input.waiting) {
    if (!Number.isInteger(w.approvals) || !Number.isInteger(w.tasks) || w.approvals + w.tasks < 1)
      throw new RangeError('a waiting entry needs whole counts, at least one of them positive');
  }
  for (const o of input.overdue) formatCalendarDate(o.dueDate, 'en'); // validates
  const counts = weeklyDigestCounts(input);
  const day = (d: Date, language: BaseEmailInput['language']) =>
    new Intl.DateTimeFormat(LOCALES[language].locale, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: input.timeZone,
    }).format(d);
  return compose({ ...input, partnershipTitle: '' }, (language, m) => {
    const w = m.weeklyDigest;
    const n = (value: number) => formatNumber(value, language);
    const section = (heading: string, items: { text: string; href: string }[]): Block[] => [
      { kind: 'heading', value: heading },
      items.length > 0 ? { kind: 'list', items } : p(w.nothing, {}),
    ];
    return {
      language,
      subject: oneLine(
        w.subject({
          advanced: n(counts.advanced),
          waiting: n(counts.waiting),
          overdue: n(counts.overdue),
        }),
      ),
      blocks: [
        p(m.greeting, { name: input.recipientName }),
        p(w.intro, {
          from: day(input.from, language),
          to: day(input.to, language),
        }),
        ...section(
          w.advancedHeading({ n: n(counts.advanced) }),
          input.advanced.map((a) => ({
            text: w.advancedItem({
              partnership: a.partnershipTitle,
              stage: stageName(a.stage, language),
              at: formatDateTime(a.at, language, input.timeZone),
            }),
            href: a.link,
          })),
        ),
        ...section(
          w.waitingHeading({ n: n(counts.waiting) }),
          input.waiting.map((x) => ({
            text: w.waitingItem({
              partnership: x.partnershipTitle,
              organisation: x.organisationName,
              approvals: w.approvals({ n: x.approvals }),
              tasks: w.tasks({ n: x.tasks }),
            }),
            href: x.link,
          })),
        ),
        ...section(
          w.overdueHeading({ n: n(counts.overdue) }),
          input.overdue.map((o) => ({
            text: w.overdueItem({
              task: inLanguage(o.taskTitle, language),
              partnership: o.partnershipTitle,
              dueDate: formatCalendarDate(o.dueDate, language),
            }),
            href: o.link,
          })),
        ),
        p(w.schedule, { zone: input.timeZone }),
        ...linkAndFooter(m, w.action(), input.link),
      ],
    };
  });
}
