import type { AttendeeAnswer, Language } from '@libs/domain';
import { escapeHtml, formatDateTime, MESSAGES } from '@libs/notifications';
import type { Messages } from '@libs/notifications';
import { alertNotice, partnerPage } from '../approvals/partner-page';

/** The event page's words (the catalog's: libs/notifications/messages/). */
export type EventPageWords = Messages['eventPage'];

export function eventWords(language: Language): EventPageWords {
  return MESSAGES[language].eventPage;
}

export interface EventPageInput {
  language: Language;
  contactName: string;
  timeZone: string;
  partnershipTitle: string;
  kind: string;
  title: string;
  start: Date;
  end: Date;
  place: string | null;
  onlineUrl: string | null;
  organiser: { name: string; email: string };
  answer: AttendeeAnswer;
  formAction: string;
  notice?: string;
}

/** What the event is, in the contact's zone, their answer so far, and accept / decline. */
export function renderEventPage(input: EventPageInput): string {
  const w = eventWords(input.language);
  const e = escapeHtml;
  const when = `${formatDateTime(input.start, input.language, input.timeZone)} – ${formatDateTime(
    input.end,
    input.language,
    input.timeZone,
  )}`;
  const place = input.place ? `<dt>${e(w.where())}</dt><dd>${e(input.place)}</dd>` : '';
  const online = input.onlineUrl
    ? `<dt>${e(w.online())}</dt><dd><a href="${e(input.onlineUrl)}">${e(input.onlineUrl)}</a></dd>`
    : '';
  const body = `<p>${e(w.intro({ name: input.contactName }))}</p>
${alertNotice(input.notice)}
<section class="card" aria-label="${e(w.event())}">
<dl>
<dt>${e(w.event())}</dt><dd>${e(input.title)} (${e(input.kind)})</dd>
<dt>${e(w.partnership())}</dt><dd>${e(input.partnershipTitle)}</dd>
<dt>${e(w.when())}</dt><dd>${e(when)}</dd>
${place}
${online}
<dt>${e(w.organiser())}</dt><dd><a href="mailto:${e(encodeURI(input.organiser.email))}">${e(input.organiser.name)}</a></dd>
<dt>${e(w.yourAnswer())}</dt><dd>${e(w.answers[input.answer]())}</dd>
</dl>
</section>
<form method="post" action="${e(input.formAction)}" class="card">
<div class="actions">
<button type="submit" name="answer" value="accepted">${e(w.accept())}</button>
<button type="submit" name="answer" value="declined" class="secondary">${e(w.decline())}</button>
</div>
</form>`;
  return partnerPage(input.language, w.title(), body);
}
