import { isStage } from '../../domain/partnership';
import type { Stage } from '../../domain/partnership';
import { stageName } from '../../domain/words';
import { formatDateTime } from '../format';
import { checkDate, checkPositiveInteger, compose, linkAndFooter, oneLine, p } from './layout';
import type { BaseEmailInput, RenderedEmail } from './layout';

/** Stages that can stall: every stage but the final `agreed`. */
export type StalledStage = Exclude<Stage, 'agreed'>;

/** Tells the coordinator that a partnership has been idle in its stage. */
export interface StageStalledEmailInput extends BaseEmailInput {
  coordinatorName: string;
  stage: StalledStage;
  /** Last activity in the stage; shown in the recipient's zone. */
  lastActivityAt: Date;
  /** Whole days without activity, as the caller counted them (at least 1). */
  idleDays: number;
}

function isStalledStage(value: unknown): value is StalledStage {
  return typeof value === 'string' && isStage(value) && value !== 'agreed';
}

/** Tells the coordinator that a partnership has had no activity in its stage for a while. */
export function renderStageStalledEmail(input: StageStalledEmailInput): RenderedEmail {
  checkDate('lastActivityAt', input.lastActivityAt);
  if (!isStalledStage(input.stage))
    throw new RangeError(`no stalled-stage e-mail for stage ${JSON.stringify(input.stage)}`);
  checkPositiveInteger('idleDays', input.idleDays);
  return compose(input, (language, m) => {
    const days = m.stageStalled.days({ n: input.idleDays });
    return {
      language,
      subject: m.stageStalled.subject({ days, partnership: oneLine(input.partnershipTitle) }),
      blocks: [
        p(m.greeting, { name: input.coordinatorName }),
        p(m.stageStalled.intro, {
          partnership: input.partnershipTitle,
          stage: stageName(input.stage, language),
          since: formatDateTime(input.lastActivityAt, language, input.timeZone),
          days,
        }),
        p(m.stageStalled.suggestion, {}),
        ...linkAndFooter(m, m.stageStalled.action(), input.link),
      ],
    };
  });
}
