import type { FastifyReply } from 'fastify';
import { verifyEventLink } from '@libs/approval-links';
import type { VerifiedEventLinkClaims } from '@libs/approval-links';
import { CalendarEventEntity, ContactEntity, OrganisationsRepository } from '@libs/db';
import { contactActor, ErrorCode } from '@libs/domain';
import type { AttendeeReply, Language } from '@libs/domain';
import { MESSAGES } from '@libs/notifications';
import { PartnerLinksService } from '../approvals/partner-links.service';
import {
  OpenLink,
  PartnerForm,
  PartnerLinkController,
  PartnerLinkPage,
} from '../approvals/partner-link.controller';
import { sendPage } from '../approvals/partner-page';
import { PartnershipReadService } from '../partnerships/partnership-read.service';
import { CalendarEventsService } from './calendar-events.service';
import { EventPageWords, eventWords, renderEventPage } from './event-page';

interface Target {
  claims: VerifiedEventLinkClaims;
  contact: ContactEntity;
  event: CalendarEventEntity;
  partnershipTitle: string;
}

/**
 * The page a partner contact reaches from an event invitation: no account, a signed link bound
 * to one event and one contact, valid until the event ends. They accept or decline; the same
 * answer twice changes nothing, another answer replaces the first. HTML forms only.
 */
@PartnerLinkPage('e')
export class EventLinkController extends PartnerLinkController<Target, EventPageWords> {
  protected readonly words = eventWords;

  constructor(
    private readonly links: PartnerLinksService,
    private readonly organisations: OrganisationsRepository,
    private readonly reads: PartnershipReadService,
    private readonly events: CalendarEventsService,
  ) {
    super();
  }

  /** The link's event as recorded, its contact, and its partnership's title. */
  protected resolve(token: string, acceptLanguage: string | undefined) {
    return this.links.resolve(verifyEventLink, token, acceptLanguage, async (claims) => {
      const partnershipId = await this.events.partnershipIdOf(claims.eventId);
      const [contact, event, partnership] = await Promise.all([
        this.organisations.findContact(claims.contactId),
        partnershipId
          ? this.events.require(partnershipId, claims.eventId).catch(() => undefined)
          : undefined,
        partnershipId ? this.reads.find(partnershipId) : undefined,
      ]);
      // A genuine link whose event or contact is gone is refused like a foreign one.
      if (!contact || !event || !partnership) return undefined;
      return { claims, contact, event, partnershipTitle: partnership.title };
    });
  }

  /** The contact's answer: accepted or declined. */
  protected async act(link: OpenLink<Target>, form: PartnerForm, reply: FastifyReply) {
    const { target, language } = link;
    const w = this.words(language);
    const refusal = this.refusal(target, language);
    if (refusal) return sendPage(reply, 409, refusal);
    const answer = form?.answer;
    if (answer !== 'accepted' && answer !== 'declined') {
      return sendPage(reply, 400, this.page(link, w.chooseAction()));
    }
    try {
      await this.events.answer(
        target.event.partnershipId,
        target.event.id,
        `contact:${target.contact.id}`,
        answer satisfies AttendeeReply,
        contactActor(target.contact),
      );
    } catch (err) {
      const alert = (text: string) => this.message(language, text, 'alert');
      return this.sendFailure(reply, language, err, {
        [ErrorCode.CALENDAR_EVENT_CANCELLED]: () => [409, alert(w.cancelled())],
        [ErrorCode.CALENDAR_EVENT_STARTED]: () => [409, alert(w.started())],
        [ErrorCode.NOT_AN_ATTENDEE]: () => [403, alert(w.notAttendee())],
      });
    }
    sendPage(
      reply,
      200,
      this.message(language, answer === 'accepted' ? w.thanksAccepted() : w.thanksDeclined()),
    );
  }

  /** Why the contact cannot answer now (cancelled, started, no longer invited), as a page. */
  protected refusal({ event, contact }: Target, language: Language): string | undefined {
    const w = this.words(language);
    if (event.status === 'cancelled') return this.message(language, w.cancelled());
    if (event.startsAt.getTime() <= Date.now()) return this.message(language, w.started());
    if (!event.attendees.some((a) => a.kind === 'contact' && a.id === contact.id)) {
      return this.message(language, w.notAttendee(), 'alert');
    }
    return undefined;
  }

  protected page({ token, target, language }: OpenLink<Target>, notice?: string): string {
    const { contact, event } = target;
    const attendee = event.attendees.find((a) => a.kind === 'contact' && a.id === contact.id)!;
    return renderEventPage({
      language,
      contactName: contact.name,
      timeZone: attendee.timeZone,
      partnershipTitle: target.partnershipTitle,
      kind: MESSAGES[language].calendarEvent.kinds[event.kind](),
      title: event.title,
      start: event.startsAt,
      end: event.endsAt,
      place: event.place,
      onlineUrl: event.onlineUrl,
      organiser: event.organiser,
      answer: attendee.answer,
      formAction: `/e/${token}`,
      notice,
    });
  }
}
