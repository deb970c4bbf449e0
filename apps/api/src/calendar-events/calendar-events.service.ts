import { Injectable } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { v5 as uuidv5 } from 'uuid';
import { workingCalendarFor } from '@libs/calendars';
import { AppConfig } from '@libs/config';
import { CalendarEventEntity, CalendarEventsRepository, UsersRepository } from '@libs/db';
import {
  attendeeListProblems,
  AttendeeReply,
  AuthUser,
  CalendarEventAttendee,
  CalendarEventAttendeeView,
  CalendarEventDetails,
  calendarEventProblems,
  DEFAULT_WORKING_HOURS,
  DomainError,
  ErrorCode,
  EventActor,
  isUuid,
} from '@libs/domain';
import { TemporalClient } from '@libs/temporal';
import {
  answerCalendarEventUpdate,
  awaitCalendarEventRecordedUpdate,
  CALENDAR_EVENT_TASK_QUEUE,
  CalendarEventInput,
  calendarEventWorkflowId,
  cancelCalendarEventUpdate,
  editCalendarEventUpdate,
} from '@workflows/calendar-events/calendar-event.contract';
import type { calendarEventWorkflow } from '@workflows/calendar-events/calendar-event.workflow';
import { canonicalJson, sha256Hex } from '../platform/canonical-json';
import { assertIdempotencyKey } from '../platform/idempotency-key';
import { actorOf } from '../partnerships/partnership-access';
import { notFound } from '../partnerships/partnership-views';
import { PartnershipReadService } from '../partnerships/partnership-read.service';
import {
  domainErrorOf,
  endedRefusal,
  notAnsweredInTime,
  notFinishedInTime,
  timedOut,
} from '../partnerships/partnership-updates.service';
import {
  CalendarEventView,
  CreateCalendarEventDto,
  UpdateCalendarEventDto,
} from './calendar-event.dto';

/** Namespace for event ids derived from Idempotency-Keys (uuid v5), fixed forever. */
const IDEMPOTENCY_NAMESPACE = '6d1f0c4e-2b7a-4f0e-9a57-0c2d8e5b9f31';
const DAY_MS = 86_400_000;

/**
 * A partnership's events: the API starts one event workflow per event and talks to it through
 * updates; it reads the events from their projection (`calendar_events`).
 */
@Injectable()
export class CalendarEventsService {
  constructor(
    private readonly reads: PartnershipReadService,
    private readonly events: CalendarEventsRepository,
    private readonly users: UsersRepository,
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalClient,
    private readonly config: AppConfig,
  ) {}

  async list(partnershipId: string): Promise<CalendarEventView[]> {
    await this.reads.requireRow(partnershipId);
    return (await this.events.list(partnershipId)).map(toView);
  }

  async get(partnershipId: string, eventId: string): Promise<CalendarEventView> {
    return toView(await this.require(partnershipId, eventId));
  }

  /**
   * Schedules an event: validates it, takes each attendee's zone, working hours and calendar, and
   * starts its workflow, which records it and sends the invitations. The same Idempotency-Key
   * maps to the same event id and so the same workflow: a retry returns the first event.
   */
  async create(
    partnershipId: string,
    dto: CreateCalendarEventDto,
    user: AuthUser,
    idempotencyKey?: string,
  ): Promise<CalendarEventView> {
    assertIdempotencyKey(idempotencyKey);
    const row = await this.reads.require(partnershipId);
    const ended = endedRefusal(row.status);
    if (ended) throw ended;
    const details = detailsOf(dto);
    const now = new Date();
    refuseProblems(calendarEventProblems(details, now));
    await this.checkTask(partnershipId, details.taskId);
    const attendees = [
      ...this.contactAttendees(
        row.organisations ?? [],
        row.contactIds ?? [],
        dto.contactIds,
        details,
        now,
      ),
      ...(await this.userAttendees(user, dto.userIds ?? [], dto.timeZone)),
    ];
    const requestHash = sha256Hex(canonicalJson(dto));
    const eventId = idempotencyKey
      ? uuidv5(
          `calendar-events:${partnershipId}:${user.id}:${idempotencyKey}`,
          IDEMPOTENCY_NAMESPACE,
        )
      : randomUUID();
    const input: CalendarEventInput = {
      eventId,
      partnershipId,
      partnershipTitle: row.title,
      details,
      organiser: {
        userId: user.id,
        name: user.name,
        email: user.email,
        language: user.language ?? 'en',
      },
      attendees,
      requestHash,
      requestedAt: now.toISOString(),
      actor: actorOf(user),
    };
    try {
      await this.temporal.workflow.start<typeof calendarEventWorkflow>('calendarEventWorkflow', {
        workflowId: calendarEventWorkflowId(eventId),
        taskQueue: CALENDAR_EVENT_TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      // A closed workflow with this id: the key was used, and the event has run its course.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      return this.get(partnershipId, eventId);
    }
    await this.execute(eventId, awaitCalendarEventRecordedUpdate, { requestHash });
    return this.get(partnershipId, eventId);
  }

  /**
   * Edits an event's details, who attends, or both, as one change (one SEQUENCE). The same edit
   * again changes nothing and is refused (NOTHING_TO_CHANGE): a retry never sends twice.
   */
  async update(
    partnershipId: string,
    eventId: string,
    dto: UpdateCalendarEventDto,
    user: AuthUser,
  ): Promise<CalendarEventView> {
    const current = await this.requireOpen(partnershipId, eventId);
    const { contactIds, userIds, ...fields } = dto;
    const change = Object.fromEntries(
      Object.entries(fields).filter(([, v]) => v !== undefined),
    ) as Partial<CalendarEventDetails>;
    // Instants as the workflow keeps them: UTC, to the millisecond.
    if (change.start) change.start = new Date(change.start).toISOString();
    if (change.end) change.end = new Date(change.end).toISOString();
    const next = { ...detailsOfRow(current), ...change };
    const now = new Date();
    refuseProblems(calendarEventProblems(next, now));
    if (change.taskId !== undefined) await this.checkTask(partnershipId, change.taskId);
    const attendees =
      contactIds !== undefined || userIds !== undefined
        ? await this.editedAttendees(current, contactIds, userIds, next, now)
        : undefined;
    await this.execute(eventId, editCalendarEventUpdate, {
      actor: actorOf(user),
      details: change,
      ...(attendees ? { attendees } : {}),
      at: new Date().toISOString(),
    });
    return this.get(partnershipId, eventId);
  }

  /**
   * Everyone who attends after an edit naming `contactIds` and/or `userIds` (an absent list keeps
   * its kind as it is), the organiser always among them, by the rules of scheduling: a contact of
   * the partnership with their organisation's calendar up to the event, an active user in the
   * organiser's zone. One who already attends may stay even if no longer listed on the partnership
   * or disabled; the workflow keeps its own record of them (their answer).
   */
  private async editedAttendees(
    current: CalendarEventEntity,
    contactIds: string[] | undefined,
    userIds: string[] | undefined,
    details: CalendarEventDetails,
    now: Date,
  ): Promise<CalendarEventAttendee[]> {
    const attending = (kind: 'contact' | 'user') =>
      current.attendees.filter((a) => a.kind === kind);
    const find = (kind: 'contact' | 'user', id: string) =>
      current.attendees.find((a) => a.kind === kind && a.id === id);
    const organiserId = current.organiser.userId;
    const wantedContacts = contactIds ?? attending('contact').map((a) => a.id);
    const wantedUsers = (userIds ?? attending('user').map((a) => a.id)).filter(
      (id) => id !== organiserId,
    );
    const row = await this.reads.require(current.partnershipId);
    const organisations = row.organisations ?? [];
    const listed = new Set(organisations.flatMap((o) => (o.contacts ?? []).map((c) => c.id)));
    const takingPart = row.contactIds ?? [];
    // One who attends and has since left the partnership (or no longer takes part) stays as is.
    const gone = wantedContacts.filter(
      (id) => (!listed.has(id) || !takingPart.includes(id)) && find('contact', id),
    );
    const contacts = [
      ...this.contactAttendees(
        organisations,
        takingPart,
        wantedContacts.filter((id) => !gone.includes(id)),
        details,
        now,
      ),
      ...gone.map((id) => kept(find('contact', id)!)),
    ];
    const organiserZone = find('user', organiserId)?.timeZone ?? 'UTC';
    const added = await this.activeUsers(
      wantedUsers.filter((id) => !find('user', id)),
      organiserZone,
    );
    const users = wantedUsers.map(
      (id) => added.find((u) => u.id === id) ?? kept(find('user', id)!),
    );
    const organiser = find('user', organiserId);
    const wanted = [...contacts, ...(organiser ? [kept(organiser)] : []), ...users];
    const problems = attendeeListProblems(
      organiser ? wanted : [...wanted, { kind: 'user', id: organiserId }],
      organiserId,
    );
    if (problems.length > 0) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: attendees', {
        errors: problems,
      });
    }
    return wanted;
  }

  async cancel(partnershipId: string, eventId: string, user: AuthUser): Promise<CalendarEventView> {
    await this.requireOpen(partnershipId, eventId);
    await this.execute(eventId, cancelCalendarEventUpdate, {
      actor: actorOf(user),
      at: new Date().toISOString(),
    });
    return this.get(partnershipId, eventId);
  }

  /** A user's own answer, in the app. */
  async answerAsUser(
    partnershipId: string,
    eventId: string,
    answer: AttendeeReply,
    user: AuthUser,
  ): Promise<CalendarEventView> {
    await this.answer(partnershipId, eventId, `user:${user.id}`, answer, actorOf(user));
    return this.get(partnershipId, eventId);
  }

  /** An attendee's answer (a user in the app, a contact through their link); idempotent. */
  async answer(
    partnershipId: string,
    eventId: string,
    attendeeKey: string,
    answer: AttendeeReply,
    actor: EventActor,
  ): Promise<void> {
    const current = await this.requireOpen(partnershipId, eventId);
    if (!current.attendees.some((a) => `${a.kind}:${a.id}` === attendeeKey)) {
      throw new DomainError(ErrorCode.NOT_AN_ATTENDEE, 'You are not an attendee of this event');
    }
    await this.execute(eventId, answerCalendarEventUpdate, {
      attendeeKey,
      answer,
      actor,
      at: new Date().toISOString(),
    });
  }

  /** The partnership of an event (for its partner link, which names the event only). */
  partnershipIdOf(eventId: string): Promise<string | undefined> {
    return isUuid(eventId) ? this.events.partnershipIdOf(eventId) : Promise.resolve(undefined);
  }

  async require(partnershipId: string, eventId: string): Promise<CalendarEventEntity> {
    // A malformed partnership id is unknown, as on every other route (never a query error).
    if (!isUuid(partnershipId)) throw notFound(partnershipId);
    const row = isUuid(eventId) ? await this.events.find(partnershipId, eventId) : undefined;
    if (!row) {
      throw new DomainError(ErrorCode.CALENDAR_EVENT_NOT_FOUND, `No event ${eventId}`, { eventId });
    }
    return row;
  }

  /** The event, refused (409) when it was cancelled or has started: it changes no more. */
  async requireOpen(partnershipId: string, eventId: string): Promise<CalendarEventEntity> {
    const row = await this.require(partnershipId, eventId);
    if (row.status === 'cancelled') {
      throw new DomainError(ErrorCode.CALENDAR_EVENT_CANCELLED, 'The event was cancelled');
    }
    if (row.startsAt.getTime() <= Date.now()) {
      throw new DomainError(ErrorCode.CALENDAR_EVENT_STARTED, 'The event has started');
    }
    return row;
  }

  private async checkTask(partnershipId: string, taskId: string | null): Promise<void> {
    if (taskId === null) return;
    const tasks = await this.reads.tasksOf(partnershipId);
    if (!tasks.some((t) => t.id === taskId)) {
      throw new DomainError(ErrorCode.TASK_NOT_FOUND, `No task ${taskId} in this partnership`, {
        taskId,
      });
    }
  }

  /**
   * The partner contacts named, each with their organisation's calendar over the days from now
   * to the event (a day to spare on each side, for zones far from UTC).
   */
  private contactAttendees(
    organisations: NonNullable<
      Awaited<ReturnType<PartnershipReadService['require']>>['organisations']
    >,
    takingPart: readonly string[],
    contactIds: string[],
    details: CalendarEventDetails,
    now: Date,
  ): CalendarEventAttendee[] {
    const all = organisations.flatMap((o) => (o.contacts ?? []).map((c) => ({ o, c })));
    const messages = contactIds.flatMap((id) =>
      !all.some((a) => a.c.id === id)
        ? [`${id} is not a contact of this partnership`]
        : !takingPart.includes(id)
          ? [`${id} does not take part in this partnership (deactivated, or not added here)`]
          : [],
    );
    if (messages.length > 0) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: contactIds', {
        errors: [{ field: 'contactIds', messages }],
      });
    }
    const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const from = date(now.getTime() - DAY_MS);
    const to = date(Date.parse(details.start) + DAY_MS);
    return all
      .filter((a) => contactIds.includes(a.c.id))
      .map(({ o, c }) => ({
        kind: 'contact' as const,
        id: c.id,
        name: c.name,
        email: c.email,
        language: c.language,
        timeZone: c.timeZone,
        workingHours: c.workingHours,
        calendar: workingCalendarFor(o, from, to),
        answer: 'pending' as const,
        answeredAt: null,
      }));
  }

  /** The organiser (the caller) and the other users named, in the organiser's zone. */
  private async userAttendees(
    organiser: AuthUser,
    userIds: string[],
    timeZone: string,
  ): Promise<CalendarEventAttendee[]> {
    const others = userIds.filter((id) => id !== organiser.id);
    const me = userAttendee(organiser, timeZone);
    return [{ ...me, answer: 'accepted' }, ...(await this.activeUsers(others, timeZone))];
  }

  /** The users named, each an attendee in `timeZone`; refused unless every one is active. */
  private async activeUsers(userIds: string[], timeZone: string): Promise<CalendarEventAttendee[]> {
    const found = await Promise.all(
      userIds.map((id) => this.users.find(this.dataSource.manager, id)),
    );
    const missing = userIds.filter((_, i) => !found[i] || found[i]!.disabled);
    if (missing.length > 0) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: userIds', {
        errors: [
          { field: 'userIds', messages: missing.map((id) => `${id} is not an active user`) },
        ],
      });
    }
    return found.map((u) => userAttendee(u!, timeZone));
  }

  /** Runs `update` on the event's workflow, bounded; a refusal becomes its DomainError. */
  private async execute<R, A>(
    eventId: string,
    update: UpdateDefinition<R, [A], string>,
    args: A,
  ): Promise<R> {
    const started = Date.now();
    let accepted = false;
    try {
      const handle = await this.temporal.withDeadline(
        started + this.config.TEMPORAL_CALL_TIMEOUT_MS,
        () =>
          this.temporal.workflow.getHandle(calendarEventWorkflowId(eventId)).startUpdate(update, {
            args: [args],
            waitForStage: 'ACCEPTED',
          }),
      );
      accepted = true;
      return await this.temporal.withDeadline(
        started + this.config.TEMPORAL_UPDATE_TIMEOUT_MS,
        () => handle.result(),
      );
    } catch (err) {
      if (timedOut(err)) {
        throw accepted
          ? notFinishedInTime(this.config.TEMPORAL_UPDATE_TIMEOUT_MS)
          : notAnsweredInTime(this.config.TEMPORAL_CALL_TIMEOUT_MS);
      }
      throw domainErrorOf(err) ?? err;
    }
  }
}

/** A user attending, reminded in `timeZone` on weekdays 09:00–18:00; no answer yet. */
function userAttendee(
  u: {
    id: string;
    name: string;
    email: string;
    language?: CalendarEventAttendee['language'] | null;
  },
  timeZone: string,
): CalendarEventAttendee {
  return {
    kind: 'user',
    id: u.id,
    name: u.name,
    email: u.email,
    language: u.language ?? 'en',
    timeZone,
    workingHours: { ...DEFAULT_WORKING_HOURS, days: [...DEFAULT_WORKING_HOURS.days] },
    answer: 'pending',
    answeredAt: null,
  };
}

/**
 * One who already attends, as the read model shows them: the workflow keeps its own record of
 * them (answer, hours, calendar), so these stand only for who they are.
 */
function kept(a: CalendarEventAttendeeView): CalendarEventAttendee {
  return {
    kind: a.kind,
    id: a.id,
    name: a.name,
    email: a.email,
    language: a.language,
    timeZone: a.timeZone,
    workingHours: { ...DEFAULT_WORKING_HOURS, days: [...DEFAULT_WORKING_HOURS.days] },
    answer: a.answer,
    answeredAt: a.answeredAt,
  };
}

function refuseProblems(problems: ReturnType<typeof calendarEventProblems>): void {
  if (problems.length > 0) {
    throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid event', { errors: problems });
  }
}

function detailsOf(dto: CreateCalendarEventDto): CalendarEventDetails {
  return {
    kind: dto.kind,
    title: dto.title,
    start: new Date(dto.start).toISOString(),
    end: new Date(dto.end).toISOString(),
    onlineUrl: dto.onlineUrl ?? null,
    place: dto.place ?? null,
    taskId: dto.taskId ?? null,
  };
}

function detailsOfRow(row: CalendarEventEntity): CalendarEventDetails {
  return {
    kind: row.kind,
    title: row.title,
    start: row.startsAt.toISOString(),
    end: row.endsAt.toISOString(),
    onlineUrl: row.onlineUrl,
    place: row.place,
    taskId: row.taskId,
  };
}

export function toView(row: CalendarEventEntity): CalendarEventView {
  return {
    id: row.id,
    partnershipId: row.partnershipId,
    ...detailsOfRow(row),
    status: row.status,
    sequence: row.sequence,
    organiser: {
      userId: row.organiser.userId,
      name: row.organiser.name,
      email: row.organiser.email,
    },
    attendees: row.attendees,
    followUpTaskId: row.followUpTaskId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
