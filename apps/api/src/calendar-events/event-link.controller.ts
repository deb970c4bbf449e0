import { Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { verifyEventLink } from '@libs/approval-links';
import type { VerifiedEventLinkClaims } from '@libs/approval-links';
import { CalendarEventEntity, ContactEntity, OrganisationsRepository } from '@libs/db';
import { contactActor, DomainError, ErrorCode } from '@libs/domain';
import type { AttendeeReply, Language } from '@libs/domain';
import { MESSAGES, readerLanguage } from '@libs/notifications';
import { Public } from '../auth/auth.decorators';
import { PartnerLinksService } from '../approvals/partner-links.service';
import { sendPage, sendRefusal, sendUnavailableMessage } from '../approvals/partner-page';
import { PartnershipReadService } from '../partnerships/partnership-read.service';
import { CalendarEventsService } from './calendar-events.service';
import { eventWords, renderEventMessagePage, renderEventPage } from './event-page';

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
@ApiExcludeController()
@Public() // partner contacts have no account: the signed link is their credential
@Controller('e')
export class EventLinkController {
  constructor(
    private readonly links: PartnerLinksService,
    private readonly organisations: OrganisationsRepository,
    private readonly reads: PartnershipReadService,
    private readonly events: CalendarEventsService,
  ) {}

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.target(token, acceptLanguage, reply);
    if (!target) return;
    const language = readerLanguage(target.contact.language, acceptLanguage);
    const refusal = refusalOf(target, language);
    if (refusal) return sendPage(reply, 200, refusal);
    sendPage(reply, 200, page(token, target, language));
  }

  @Post(':token')
  async answer(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Body() body: Record<string, unknown> | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.target(token, acceptLanguage, reply);
    if (!target) return;
    const language = readerLanguage(target.contact.language, acceptLanguage);
    const w = eventWords(language);
    const refusal = refusalOf(target, language);
    if (refusal) return sendPage(reply, 409, refusal);
    const answer = body?.answer;
    if (answer !== 'accepted' && answer !== 'declined') {
      return sendPage(reply, 400, page(token, target, language, w.chooseAction()));
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
      if (!(err instanceof DomainError)) throw err;
      const message = (status: number, text: string) =>
        sendPage(reply, status, renderEventMessagePage(language, text, 'alert'));
      switch (err.code) {
        case ErrorCode.CALENDAR_EVENT_CANCELLED:
          return message(409, w.cancelled());
        case ErrorCode.CALENDAR_EVENT_STARTED:
          return message(409, w.started());
        case ErrorCode.NOT_AN_ATTENDEE:
          return message(403, w.notAttendee());
        case ErrorCode.DEPENDENCY_UNAVAILABLE:
          return sendUnavailableMessage(
            reply,
            err,
            (m, tone) => renderEventMessagePage(language, m, tone),
            w,
          );
        default:
          throw err;
      }
    }
    sendPage(
      reply,
      200,
      renderEventMessagePage(
        language,
        answer === 'accepted' ? w.thanksAccepted() : w.thanksDeclined(),
      ),
    );
  }

  /** The link's target as recorded; for a link that does not open, answers the page itself. */
  private async target(
    token: string,
    acceptLanguage: string | undefined,
    reply: FastifyReply,
  ): Promise<Target | undefined> {
    const resolved = await this.links.resolve(
      verifyEventLink,
      token,
      acceptLanguage,
      async (claims) => {
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
      },
    );
    if (!resolved.ok) return sendRefusal(reply, resolved, refusalPage);
    return resolved;
  }
}

/** Why the contact cannot answer now (cancelled, started, no longer invited), as a page. */
function refusalOf(target: Target, language: Language): string | undefined {
  const w = eventWords(language);
  const { event, contact } = target;
  if (event.status === 'cancelled') return renderEventMessagePage(language, w.cancelled());
  if (event.startsAt.getTime() <= Date.now()) return renderEventMessagePage(language, w.started());
  if (!event.attendees.some((a) => a.kind === 'contact' && a.id === contact.id)) {
    return renderEventMessagePage(language, w.notAttendee(), 'alert');
  }
  return undefined;
}

function page(token: string, target: Target, language: Language, notice?: string): string {
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

/** The page of a link that does not open, in the event page's words. */
function refusalPage(language: Language, expired: boolean): string {
  const w = eventWords(language);
  return renderEventMessagePage(language, expired ? w.expired() : w.invalid(), 'alert');
}
