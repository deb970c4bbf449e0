import { renderAwaitingEmail } from './awaiting';
import type { AwaitingEmailInput } from './awaiting';
import type { RenderedEmail } from './layout';

/** The deadline is still ahead: escalation comes after the last reminder. */
export type EscalationEmailInput = AwaitingEmailInput;

/** Tells the coordinator that every reminder went out with approvers still undecided. */
export function renderEscalationEmail(input: EscalationEmailInput): RenderedEmail {
  return renderAwaitingEmail(input, 'approver', (m) => ({
    ...m.escalation,
    names: m.escalation.awaiting,
  }));
}
