import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { refreshWorkingCalendars } from '@libs/calendars';
import { AppConfig } from '@libs/config';
import {
  calendarRefreshSources,
  OrganisationEntity,
  OrganisationsRepository,
  PartnershipsRepository,
  recordAudit,
} from '@libs/db';
import { DomainError, ErrorCode, isUuid } from '@libs/domain';
import type { AuthUser } from '@libs/domain';
import { TemporalClient } from '@libs/temporal';
import { ClosureChangeView, ClosuresView, SetClosureDto } from './closures.dto';
import { OrganisationsService } from './organisations.service';

/** Closure days an organisation keeps, at most: about a year of them, past ones included. */
export const MAX_CLOSURES_PER_ORGANISATION = 400;
/** How far from today a closure may be set: a year back (to correct one), three years ahead. */
const DAYS_BACK = 366;
const DAYS_AHEAD = 3 * 366;
const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * An organisation's own closure days, which every working calendar of it counts as days off
 * (docs/calendars.md). Admins set and remove them; each change re-plans the follow-ups of the
 * organisation's partnerships that have not ended, through their workflows' working-calendars
 * update, before it answers.
 */
@Injectable()
export class ClosuresService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organisations: OrganisationsRepository,
    private readonly visible: OrganisationsService,
    private readonly partnerships: PartnershipsRepository,
    private readonly temporal: TemporalClient,
    private readonly config: AppConfig,
  ) {}

  async list(user: AuthUser, organisationId: string): Promise<ClosuresView> {
    const organisation = await this.requireVisible(user, organisationId);
    return this.viewOf(organisation);
  }

  async set(
    user: AuthUser,
    organisationId: string,
    date: string,
    dto: SetClosureDto,
  ): Promise<ClosureChangeView> {
    const organisation = await this.requireVisible(user, organisationId);
    const id = organisation.id;
    const day = validDate(date, new Date());
    const name = dto.name.trim();
    if (!name) throw invalid('name', 'must not be blank');
    const outcome = await this.dataSource.transaction(async (tx) => {
      const put = await this.organisations.putClosure(
        tx,
        id,
        { date: day, name },
        user.id,
        MAX_CLOSURES_PER_ORGANISATION,
      );
      if (put === 'set') {
        await recordAudit(tx, {
          actorUserId: user.id,
          action: 'organisation.closure_set',
          target: id,
          details: { date: day, name },
        });
      }
      return put;
    });
    if (outcome === 'full') {
      throw new DomainError(
        ErrorCode.TOO_MANY_CLOSURES,
        `The organisation already has ${MAX_CLOSURES_PER_ORGANISATION} closure days`,
        { limit: MAX_CLOSURES_PER_ORGANISATION },
      );
    }
    return this.replanned(organisation);
  }

  async remove(user: AuthUser, organisationId: string, date: string): Promise<ClosureChangeView> {
    const organisation = await this.requireVisible(user, organisationId);
    const id = organisation.id;
    const day = validDate(date, undefined);
    const removed = await this.dataSource.transaction(async (tx) => {
      if (!(await this.organisations.deleteClosure(tx, id, day))) return false;
      await recordAudit(tx, {
        actorUserId: user.id,
        action: 'organisation.closure_removed',
        target: id,
        details: { date: day },
      });
      return true;
    });
    if (!removed) {
      throw new DomainError(
        ErrorCode.CLOSURE_NOT_FOUND,
        `The organisation has no closure on ${day}`,
      );
    }
    return this.replanned(organisation);
  }

  /** Gives the organisation's open partnerships its calendars again (after a partial re-plan). */
  async replan(user: AuthUser, organisationId: string): Promise<ClosureChangeView> {
    return this.replanned(await this.requireVisible(user, organisationId));
  }

  /** The closures as they are now, after giving the organisation's partnerships their calendars. */
  private async replanned(organisation: OrganisationEntity): Promise<ClosureChangeView> {
    const { updated, failed } = await refreshWorkingCalendars(
      calendarRefreshSources(this.partnerships, this.organisations),
      this.temporal,
      new Date(),
      {
        organisationId: organisation.id,
        // Each workflow as long as any call to Temporal may take, the whole re-plan as long as a
        // change may: what is not done by then is answered as not re-planned.
        callTimeoutMs: this.config.TEMPORAL_CALL_TIMEOUT_MS,
        budgetMs: this.config.TEMPORAL_UPDATE_TIMEOUT_MS,
      },
    );
    return {
      ...(await this.viewOf(organisation)),
      replanned: updated,
      notReplanned: failed.map((f) => f.partnershipId).sort(),
    };
  }

  private async viewOf(organisation: OrganisationEntity): Promise<ClosuresView> {
    const rows = await this.organisations.closureDetails(organisation.id);
    return {
      organisationId: organisation.id,
      organisationName: organisation.name,
      items: rows.map((c) => ({ ...c, updatedAt: new Date(c.updatedAt).toISOString() })),
    };
  }

  private async requireVisible(
    user: AuthUser,
    organisationId: string,
  ): Promise<OrganisationEntity> {
    const id = organisationId.toLowerCase();
    const found = isUuid(id) ? await this.visible.findVisible(user, [id]) : [];
    if (found.length === 0) {
      throw new DomainError(ErrorCode.ORGANISATION_NOT_FOUND, 'No such organisation', {
        missing: [organisationId],
      });
    }
    return found[0];
  }
}

/** A calendar date YYYY-MM-DD; to set one, within a year back and three years ahead of `today`. */
function validDate(value: string, today: Date | undefined): string {
  const match = ISO_DATE.exec(value);
  const ms = match ? Date.UTC(+match[1], +match[2] - 1, +match[3]) : NaN;
  if (!match || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw invalid('date', 'must be a calendar date YYYY-MM-DD');
  }
  if (today) {
    const days =
      (ms - Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())) / DAY_MS;
    if (days < -DAYS_BACK || days > DAYS_AHEAD) {
      throw invalid(
        'date',
        `must be within ${DAYS_BACK} days before and ${DAYS_AHEAD} days after today`,
      );
    }
  }
  return value;
}

function invalid(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, `${field} ${message}`, {
    errors: [{ field, messages: [`${field} ${message}`] }],
  });
}
