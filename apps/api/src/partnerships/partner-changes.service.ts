import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import { calendarSnapshot } from '@libs/calendars';
import {
  OrganisationsRepository,
  PartnershipsRepository,
  type ContactEntity,
  type PartnershipEntity,
} from '@libs/db';
import {
  DEFAULT_WORKING_HOURS,
  DomainError,
  ErrorCode,
  type AuthUser,
  type EventActor,
  type PartnerContactInput,
  type PartnerOrganisationInput,
  type PartnershipChange,
} from '@libs/domain';
import { OrganisationsService } from '../organisations/organisations.service';
import {
  AddContactDto,
  AddOrganisationDto,
  DeactivateContactDto,
  ReactivateContactDto,
} from './partner-changes.dto';
import type { ContactDto } from './partnership.dto';
import { PartnershipView } from './partnership.dto';
import { partnerOf, PartnershipChangesService } from './partnership-changes.service';
import { PartnershipReadService } from './partnership-read.service';

/** Ids of partners added under an Idempotency-Key: the same key always names the same ones. */
const PARTNER_NAMESPACE = '0f7c6f8e-5b1d-4d8e-9a61-3c2f4b7d9e10';

/**
 * Who takes part in a partnership: organisations and contacts join, contacts stop (or start
 * again) taking part. Each is a change of the partnership's workflow (partner-changes.ts in
 * libs/domain decides it), recorded on the timeline with its actor.
 */
@Injectable()
export class PartnerChangesService {
  constructor(
    private readonly changes: PartnershipChangesService,
    private readonly read: PartnershipReadService,
    private readonly organisations: OrganisationsService,
    private readonly partners: OrganisationsRepository,
    private readonly partnerships: PartnershipsRepository,
  ) {}

  async addOrganisation(
    user: AuthUser,
    by: EventActor,
    id: string,
    body: AddOrganisationDto,
    idempotencyKey?: string,
  ): Promise<PartnershipView> {
    const { comment, ...given } = body;
    const row = await this.changes.runningRow(id, true);
    const partners = row.organisations ?? [];
    // Under a key the request has an id (a new organisation's id too), kept on its event: what
    // the key added before answers a retry, and refuses another organisation under the key.
    const requestId = idempotencyKey
      ? uuidv5(`partner-organisations:${id}:${idempotencyKey}`, PARTNER_NAMESPACE)
      : undefined;
    const addedBefore = requestId
      ? await this.partnerships.organisationAddedBy(id, requestId)
      : undefined;
    let organisation: PartnerOrganisationInput;
    if (given.id !== undefined) {
      if (
        given.name !== undefined ||
        given.country !== undefined ||
        given.kind !== undefined ||
        given.region !== undefined ||
        given.contacts !== undefined
      ) {
        throw new DomainError(ErrorCode.VALIDATION_FAILED, 'Invalid request: organisation', {
          errors: [
            {
              field: '(body)',
              messages: [
                'give either an existing organisation id, or name, country and kind for a new one',
              ],
            },
          ],
        });
      }
      const orgId = given.id.toLowerCase();
      // A retry under a key: the organisation is a partner now; answer as the first did.
      if (addedBefore !== undefined) {
        if (addedBefore !== orgId) throw keyReused();
        return this.view(id);
      }
      // One the caller may not see is refused as if it did not exist (as when creating).
      const [found] = await this.organisations.findVisible(user, [orgId]);
      if (!found) {
        throw new DomainError(ErrorCode.ORGANISATION_NOT_FOUND, `Unknown organisation ${orgId}`, {
          missing: [orgId],
        });
      }
      const contacts = await this.partners.contactsOf([orgId]);
      organisation = {
        id: found.id,
        isNew: false,
        name: found.name,
        region: found.region,
        country: found.country,
        kind: found.kind,
        contacts: contacts.map(contactInputOf),
      };
    } else {
      const orgId = requestId ?? randomUUID();
      const name = given.name!.trim();
      // A retry under the same key: the organisation joined already; answer as the first did
      // (another organisation under the key is refused, an existing one it added too).
      if (addedBefore !== undefined && addedBefore !== orgId) throw keyReused();
      const joined = idempotencyKey ? partners.find((o) => o.id === orgId) : undefined;
      if (joined) {
        if (joined.name.trim().toLowerCase() !== name.toLowerCase()) throw keyReused();
        return this.view(id);
      }
      if (partners.some((o) => o.name.trim().toLowerCase() === name.toLowerCase())) {
        throw new DomainError(
          ErrorCode.ORGANISATION_ALREADY_IN_PARTNERSHIP,
          `A partner organisation is called ${name} already`,
          { blockers: [] },
        );
      }
      organisation = {
        id: orgId,
        isNew: true,
        name,
        region: given.region?.trim() ?? null,
        country: given.country!.toUpperCase(),
        kind: given.kind!,
        contacts: (given.contacts ?? []).map((c, i) =>
          newContact(
            c,
            idempotencyKey ? uuidv5(`${orgId}:contacts:${i}`, PARTNER_NAMESPACE) : randomUUID(),
          ),
        ),
      };
    }
    const closures = organisation.isNew
      ? []
      : ((await this.partners.closuresOf([organisation.id])).get(organisation.id) ?? []);
    const change: PartnershipChange = {
      kind: 'addOrganisation',
      organisation,
      ...(requestId ? { requestId } : {}),
      // Its follow-ups count in its own working calendar (holidays, adjusted working days).
      calendar: calendarSnapshot({ ...organisation, closures }, new Date()),
    };
    return this.changes.change(id, { actor: by, change, comment });
  }

  async addContact(
    user: AuthUser,
    by: EventActor,
    id: string,
    organisationId: string,
    body: AddContactDto,
    idempotencyKey?: string,
  ): Promise<PartnershipView> {
    // One address at a time: the check below and the contact's row written by the projection
    // happen under the lock, so two contacts given the same address at once are one added and
    // one refused, never two the workflow counts and one row.
    return this.changes.underContactEmailLock(body.email, () =>
      this.addContactLocked(user, by, id, organisationId, body, idempotencyKey),
    );
  }

  private async addContactLocked(
    user: AuthUser,
    by: EventActor,
    id: string,
    organisationId: string,
    body: AddContactDto,
    idempotencyKey?: string,
  ): Promise<PartnershipView> {
    const { comment, ...given } = body;
    const row = await this.changes.runningRow(id, true);
    const organisation = partnerOf(row, organisationId);
    const contactId = idempotencyKey
      ? uuidv5(`partner-contacts:${id}:${organisation.id}:${idempotencyKey}`, PARTNER_NAMESPACE)
      : randomUUID();
    const colleagues = organisation.contacts ?? [];
    const known = colleagues.find((c) => c.id === contactId);
    if (idempotencyKey && known && known.email !== given.email.trim().toLowerCase()) {
      throw keyReused();
    }
    if (idempotencyKey && known) {
      // A retry: this partnership has the contact; the others are given it again (those that
      // have it refuse it as no change).
      await this.changes.toOtherPartnerships(user, organisation.id, id, {
        actor: by,
        change: {
          kind: 'addContact',
          organisationId: organisation.id,
          organisationName: organisation.name,
          contact: contactInputOf(known),
        },
      });
      return this.view(id);
    }
    const email = given.email.trim().toLowerCase();
    const colleague = colleagues.find((c) => c.email === email);
    if (colleague) {
      throw new DomainError(
        ErrorCode.EMAIL_TAKEN,
        `${colleague.name} of ${organisation.name} has this e-mail address already` +
          (takingPart(row).includes(colleague.id) ? '' : ': reactivate them instead'),
        { errors: [{ field: 'email', messages: ['is a colleague’s address'] }] },
      );
    }
    const change: PartnershipChange = {
      kind: 'addContact',
      organisationId: organisation.id,
      organisationName: organisation.name,
      contact: newContact(given, contactId),
    };
    const view = await this.changes.change(id, { actor: by, change, comment });
    // The contact is the organisation's: its other running partnerships list them, so they take
    // them as a contact too (an approver and assignee there), each as its own change.
    await this.changes.toOtherPartnerships(user, organisation.id, id, {
      actor: by,
      change,
      comment,
    });
    return view;
  }

  async deactivateContact(
    by: EventActor,
    id: string,
    contactId: string,
    body: DeactivateContactDto,
  ): Promise<PartnershipView> {
    const row = await this.changes.runningRow(id, true);
    const { organisation, contact } = contactOf(row, contactId);
    const delegateTo = body.delegateTo?.toLowerCase();
    const delegate = delegateTo
      ? (organisation.contacts ?? []).find((c) => c.id === delegateTo)
      : undefined;
    return this.changes.change(id, {
      actor: by,
      change: {
        kind: 'deactivateContact',
        contactId: contact.id,
        contactName: contact.name,
        organisationId: organisation.id,
        colleagueIds: (organisation.contacts ?? [])
          .map((c) => c.id)
          .filter((c) => c !== contact.id && takingPart(row).includes(c)),
        reason: body.reason,
        ...(delegateTo ? { delegateTo } : {}),
        ...(delegate
          ? {
              delegateProfile: {
                timeZone: delegate.timeZone,
                workingHours: delegate.workingHours,
                organisationId: organisation.id,
              },
            }
          : {}),
      },
    });
  }

  async reactivateContact(
    by: EventActor,
    id: string,
    contactId: string,
    body: ReactivateContactDto,
  ): Promise<PartnershipView> {
    const row = await this.changes.runningRow(id, true);
    const { organisation, contact } = contactOf(row, contactId);
    if (
      !takingPart(row).includes(contact.id) &&
      !(row.inactiveContactIds ?? []).includes(contact.id)
    ) {
      // A contact of the organisation added through another of its partnerships: this one
      // takes them now.
      return this.changes.change(id, {
        actor: by,
        change: {
          kind: 'addContact',
          organisationId: organisation.id,
          organisationName: organisation.name,
          contact: contactInputOf(contact),
        },
        comment: body.comment,
      });
    }
    return this.changes.change(id, {
      actor: by,
      change: {
        kind: 'reactivateContact',
        contactId: contact.id,
        contactName: contact.name,
        organisationId: organisation.id,
      },
      comment: body.comment,
    });
  }

  private async view(id: string): Promise<PartnershipView> {
    return this.read.detail(await this.read.require(id));
  }
}

function keyReused(): DomainError {
  return new DomainError(
    ErrorCode.IDEMPOTENCY_KEY_REUSED,
    'This Idempotency-Key was already used with a different request body',
  );
}

/** The contacts who take part in the partnership (the workflow's, as projected). */
function takingPart(row: PartnershipEntity): string[] {
  return row.contactIds ?? [];
}

function contactOf(
  row: PartnershipEntity,
  contactId: string,
): {
  organisation: NonNullable<PartnershipEntity['organisations']>[number];
  contact: ContactEntity;
} {
  const id = contactId.toLowerCase();
  for (const organisation of row.organisations ?? []) {
    const contact = (organisation.contacts ?? []).find((c) => c.id === id);
    if (contact) return { organisation, contact };
  }
  throw new DomainError(ErrorCode.CONTACT_NOT_FOUND, 'No such contact in this partnership', {
    blockers: [],
  });
}

function newContact(c: ContactDto, id: string): PartnerContactInput {
  return {
    id,
    name: c.name.trim(),
    email: c.email.trim().toLowerCase(),
    role: c.role?.trim() || null,
    language: c.language,
    timeZone: c.timeZone,
    workingHours: c.workingHours
      ? { start: c.workingHours.start, end: c.workingHours.end, days: [...c.workingHours.days] }
      : { ...DEFAULT_WORKING_HOURS, days: [...DEFAULT_WORKING_HOURS.days] },
  };
}

function contactInputOf(c: ContactEntity): PartnerContactInput {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    role: c.role,
    language: c.language,
    timeZone: c.timeZone,
    workingHours: c.workingHours,
  };
}
