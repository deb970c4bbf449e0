import { Injectable, Logger } from '@nestjs/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@libs/config';
import {
  AdvisoryLockBusyError,
  PartnershipsRepository,
  TemplatesRepository,
  withAdvisoryLock,
} from '@libs/db';
import {
  DomainError,
  ErrorCode,
  type AuthUser,
  type ContactChanges,
  type EventActor,
  type PartnershipChange,
  workflowTemplateOf,
} from '@libs/domain';
import {
  changePartnershipUpdate,
  moveTemplateUpdate,
  type ChangePartnershipArgs,
  type PartnershipLiveState,
} from '@workflows/partnership/partnership.contract';
import type { PartnershipEntity } from '@libs/db';
import {
  ChangeContactDto,
  ChangePartnershipDto,
  MoveTemplateDto,
  RemoveOrganisationDto,
} from './partnership-changes.dto';
import { PartnershipView } from './partnership.dto';
import { PartnershipAccessService } from './partnership-access';
import { PartnershipReadService } from './partnership-read.service';
import { endedRefusal, PartnershipUpdatesService } from './partnership-updates.service';

/** What a contact change did: the partnership as it is now, and the others that took it too. */
export interface ContactChangeResult {
  partnership: PartnershipView;
  /** Other running partnerships of the contact's organisation that took the same change. */
  alsoChanged: string[];
  /** Those that could not take it now (a worker down, say): the same PATCH on each retries it. */
  notChanged: string[];
}

/**
 * Changes to a partnership's own details: each is one update of its workflow, whose validator
 * answers at once whether it is legal (libs/domain/partnership-changes.ts), recorded on the
 * timeline with its actor and in the read model before the answer.
 */
@Injectable()
export class PartnershipChangesService {
  private readonly log = new Logger(PartnershipChangesService.name);

  constructor(
    private readonly updates: PartnershipUpdatesService,
    private readonly read: PartnershipReadService,
    private readonly partnerships: PartnershipsRepository,
    private readonly access: PartnershipAccessService,
    private readonly templates: TemplatesRepository,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async changeDetails(
    by: EventActor,
    id: string,
    body: ChangePartnershipDto,
  ): Promise<PartnershipView> {
    const { comment, ...details } = body;
    if (Object.values(details).every((v) => v === undefined)) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: nothing to change', {
        errors: [{ field: '(body)', messages: ['give at least one of title, areas, coordinator'] }],
      });
    }
    const row = await this.runningRow(id);
    // Runs that carry no areas compare with the read model's: the same list is no change.
    const areas =
      details.areas !== undefined && sameList(details.areas, row.areas) ? undefined : details.areas;
    const change: PartnershipChange = {
      kind: 'details',
      ...(details.title !== undefined ? { title: details.title } : {}),
      ...(areas !== undefined ? { areas } : {}),
      ...(details.coordinator !== undefined
        ? { coordinator: { name: details.coordinator.name, email: details.coordinator.email } }
        : {}),
    };
    if (Object.keys(change).length === 1) throw nothingToChange();
    return this.change(id, { actor: by, change, comment });
  }

  async changeContact(
    user: AuthUser,
    by: EventActor,
    id: string,
    contactId: string,
    body: ChangeContactDto,
  ): Promise<ContactChangeResult> {
    // A field given as null is no change to leave out (the validation lets optional nulls by).
    const nulls = (['name', 'email', 'language', 'timeZone', 'workingHours'] as const).filter(
      (field) => (body as Record<string, unknown>)[field] === null,
    );
    if (nulls.length > 0) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: null fields', {
        errors: nulls.map((field) => ({
          field,
          messages: ['must not be null: leave it out to keep it as it is'],
        })),
      });
    }
    // A new address under its lock, as when a contact is added (partner-changes.service.ts).
    const change = () => this.changeContactLocked(user, by, id, contactId, body);
    return typeof body.email === 'string'
      ? this.underContactEmailLock(body.email, change)
      : change();
  }

  /**
   * Runs `fn` (a check that no colleague has `email`, the change, its projection) under the
   * address's advisory lock, so two requests giving one address at once are taken one after the
   * other. One still waiting after TEMPORAL_CALL_TIMEOUT_MS answers 503 SERVER_BUSY.
   */
  async underContactEmailLock<T>(email: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withAdvisoryLock(
        this.dataSource,
        contactEmailLock(email),
        this.config.TEMPORAL_CALL_TIMEOUT_MS,
        fn,
      );
    } catch (err) {
      if (!(err instanceof AdvisoryLockBusyError)) throw err;
      throw new DomainError(
        ErrorCode.SERVER_BUSY,
        'Another change is giving a contact this e-mail address; retry in a moment',
        { retryAfterSeconds: 1 },
      );
    }
  }

  private async changeContactLocked(
    user: AuthUser,
    by: EventActor,
    id: string,
    contactId: string,
    body: ChangeContactDto,
  ): Promise<ContactChangeResult> {
    const { comment, ...given } = body;
    if (Object.values(given).every((v) => v === undefined)) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: nothing to change', {
        errors: [
          {
            field: '(body)',
            messages: ['give at least one of name, email, language, timeZone, workingHours'],
          },
        ],
      });
    }
    const row = await this.runningRow(id, true);
    const organisation = (row.organisations ?? []).find((o) =>
      (o.contacts ?? []).some((c) => c.id === contactId.toLowerCase()),
    );
    const contact = organisation?.contacts?.find((c) => c.id === contactId.toLowerCase());
    if (!organisation || !contact) {
      throw new DomainError(ErrorCode.CONTACT_NOT_FOUND, 'No such contact in this partnership', {
        blockers: [],
      });
    }
    // Name, e-mail and language live in the read model: only those that differ are a change.
    const changes: ContactChanges = {
      ...(given.name !== undefined && given.name.trim() !== contact.name
        ? { name: given.name.trim() }
        : {}),
      ...(given.email !== undefined && given.email.trim().toLowerCase() !== contact.email
        ? { email: given.email.trim().toLowerCase() }
        : {}),
      ...(given.language !== undefined && given.language !== contact.language
        ? { language: given.language }
        : {}),
      // The zone and the hours go together: a run that never had this contact's profile (the
      // organisation was linked by id) would otherwise plan the other with defaults.
      ...(given.timeZone !== undefined || given.workingHours !== undefined
        ? {
            timeZone: given.timeZone ?? contact.timeZone,
            workingHours: given.workingHours
              ? {
                  start: given.workingHours.start,
                  end: given.workingHours.end,
                  days: given.workingHours.days,
                }
              : {
                  start: contact.workingHours.start,
                  end: contact.workingHours.end,
                  days: contact.workingHours.days,
                },
          }
        : {}),
    };
    if (Object.keys(changes).length === 0) throw nothingToChange();
    if (
      changes.email &&
      organisation.contacts!.some((c) => c.id !== contact.id && c.email === changes.email)
    ) {
      throw new DomainError(
        ErrorCode.EMAIL_TAKEN,
        'A colleague in the same organisation already has this e-mail address',
        { errors: [{ field: 'email', messages: ['is a colleague’s address'] }] },
      );
    }
    const change: PartnershipChange = {
      kind: 'updateContact',
      contactId: contact.id,
      contactName: changes.name ?? contact.name,
      ...changes,
    };
    // A retry after some other partnership could not take the change: this one has it already
    // (no change), the others are given it again below.
    let unchanged: DomainError | undefined;
    try {
      await this.updates.execute(
        id,
        changePartnershipUpdate,
        { actor: by, change, comment },
        {
          blockers: [],
        },
      );
    } catch (err) {
      const replans = changes.timeZone !== undefined || changes.workingHours !== undefined;
      if (!(replans && err instanceof DomainError && err.code === ErrorCode.NOTHING_TO_CHANGE)) {
        throw err;
      }
      unchanged = err;
    }
    // The contact is the organisation's (the read model has the new details already): its other
    // running partnerships plan their follow-ups with the same zone and hours. Each takes them as
    // its own change; one that already has them refuses it as no change.
    const planning: PartnershipChange = {
      kind: 'updateContact',
      contactId: contact.id,
      contactName: change.contactName,
      replanOnly: true,
      timeZone: changes.timeZone,
      workingHours: changes.workingHours,
    };
    const { alsoChanged, notChanged } =
      changes.timeZone !== undefined || changes.workingHours !== undefined
        ? await this.toOtherPartnerships(user, organisation.id, id, {
            actor: by,
            change: planning,
            comment,
          })
        : { alsoChanged: [], notChanged: [] };
    if (unchanged && alsoChanged.length === 0) throw unchanged;
    const partnership = await this.read.detail(await this.read.require(id));
    return { partnership, alsoChanged, notChanged };
  }

  /**
   * The same change for the organisation's other running partnerships (but `except`) the caller
   * may act on: the others take it when their own coordinator makes it there (nothing is said
   * about them here). One that has it already refuses it as no change, and is not listed.
   */
  async toOtherPartnerships(
    user: AuthUser,
    organisationId: string,
    except: string,
    args: ChangePartnershipArgs,
  ): Promise<{ alsoChanged: string[]; notChanged: string[] }> {
    const alsoChanged: string[] = [];
    const notChanged: string[] = [];
    for (const other of await this.partnerships.runningWithOrganisation(organisationId, except)) {
      if ((await this.access.accessTo(user, other)) !== 'act') continue;
      try {
        await this.updates.execute(other, changePartnershipUpdate, args);
        alsoChanged.push(other);
      } catch (err) {
        if (err instanceof DomainError && NOT_FOR_THEM.has(err.code)) continue;
        if (isUnsupported(err)) continue; // it takes the contact as it is once it continues as new
        this.log.warn(`${args.change.kind} not taken by partnership ${other}: ${String(err)}`);
        notChanged.push(other);
      }
    }
    return { alsoChanged, notChanged };
  }

  async removeOrganisation(
    by: EventActor,
    id: string,
    organisationId: string,
    body: RemoveOrganisationDto,
  ): Promise<PartnershipView> {
    const row = await this.runningRow(id, true);
    const organisation = partnerOf(row, organisationId);
    return this.change(id, {
      actor: by,
      change: {
        kind: 'removeOrganisation',
        organisationId: organisation.id,
        organisationName: organisation.name,
        contactIds: (organisation.contacts ?? []).map((c) => c.id),
        reason: body.reason,
      },
    });
  }

  /**
   * Moves the partnership to a newer published version of the template it follows: the workflow
   * decides what that does to its tasks (libs/domain/template-move.ts) and records it.
   */
  async moveTemplate(by: EventActor, id: string, body: MoveTemplateDto): Promise<PartnershipView> {
    const row = await this.runningRow(id);
    const found = await this.templates.find(row.templateKey, body.version);
    if (!found) {
      throw new DomainError(
        ErrorCode.TEMPLATE_NOT_FOUND,
        `Template ${row.templateKey} has no version ${body.version}`,
        { blockers: [] },
      );
    }
    if (found.status !== 'published') {
      throw new DomainError(
        ErrorCode.TEMPLATE_NOT_PUBLISHED,
        `Version ${body.version} of template ${row.templateKey} is a draft; publish it first`,
        { blockers: [] },
      );
    }
    const template = workflowTemplateOf(row.templateKey, found.version, found.content);
    await this.send(id, moveTemplateUpdate, { actor: by, template, comment: body.comment });
    return this.read.detail(await this.read.require(id));
  }

  async runningRow(id: string, withPartners = false): Promise<PartnershipEntity> {
    const row = withPartners ? await this.read.require(id) : await this.read.requireRow(id);
    // A closed or agreed partnership's workflow has ended: answer from the projection.
    const ended = endedRefusal(row.status);
    if (ended) throw ended;
    return row;
  }

  async change(id: string, args: ChangePartnershipArgs): Promise<PartnershipView> {
    await this.send(id, changePartnershipUpdate, args);
    return this.read.detail(await this.read.require(id));
  }

  /** The update, or a coded refusal where the partnership's run predates it. */
  async send<A, R = PartnershipLiveState>(
    id: string,
    update: UpdateDefinition<R, [A]>,
    args: A,
  ): Promise<R> {
    try {
      return await this.updates.execute(id, update, args, { blockers: [] });
    } catch (err) {
      if (!isUnsupported(err)) throw err;
      throw new DomainError(
        ErrorCode.PARTNERSHIP_CHANGES_UNSUPPORTED,
        'This partnership’s workflow started before its details could change; it can once it continues as new',
        { blockers: [] },
      );
    }
  }
}

/** Refusals that say the other partnership has nothing to take (not a failure to retry). */
const NOT_FOR_THEM = new Set<string>([
  ErrorCode.NOTHING_TO_CHANGE,
  ErrorCode.CONTACT_NOT_FOUND,
  ErrorCode.ORGANISATION_NOT_IN_PARTNERSHIP,
  ErrorCode.PARTNERSHIP_CLOSED,
  ErrorCode.PARTNERSHIP_AGREED,
  ErrorCode.PARTNERSHIP_NOT_FOUND,
  ErrorCode.PARTNERSHIP_WORKFLOW_ENDED,
]);

/** The workflow's run has no handler for the update (it started before the patch). */
function isUnsupported(err: unknown): boolean {
  return (
    err instanceof WorkflowUpdateFailedError &&
    err.cause instanceof ApplicationFailure &&
    /^No registered handler for update/.test(err.cause.message)
  );
}

/** The partner organisation `organisationId` of the partnership, or ORGANISATION_NOT_IN_PARTNERSHIP. */
/**
 * The advisory lock under which a contact is given `email` (as the read model stores it): the
 * check that no colleague has it and the row the projection writes happen under it.
 */
function contactEmailLock(email: string): string {
  return `contact-email:${email.trim().toLowerCase()}`;
}

export function partnerOf(
  row: PartnershipEntity,
  organisationId: string,
): NonNullable<PartnershipEntity['organisations']>[number] {
  const organisation = (row.organisations ?? []).find((o) => o.id === organisationId.toLowerCase());
  if (!organisation) {
    throw new DomainError(
      ErrorCode.ORGANISATION_NOT_IN_PARTNERSHIP,
      'The organisation is not a partner of this partnership',
      { blockers: [] },
    );
  }
  return organisation;
}

function nothingToChange(): DomainError {
  return new DomainError(ErrorCode.NOTHING_TO_CHANGE, 'The change would change nothing', {
    blockers: [],
  });
}

function sameList(a: string[], b: string[] | null | undefined): boolean {
  const trimmed = [...new Set(a.map((x) => x.trim()))];
  return JSON.stringify(trimmed) === JSON.stringify(b ?? []);
}
