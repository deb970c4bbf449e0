import { In, type DataSource, type SelectQueryBuilder } from 'typeorm';
import type { Language } from '../../domain';
import { ContactEntity } from '../entities/contact.entity';
import { OrganisationEntity } from '../entities/organisation.entity';
import { likePattern, rows, type SqlRunner } from './sql';

/** A day an organisation is closed (`organisation_closures`). */
export interface ClosureRow {
  date: string; // "2026-08-14"
  name: string;
}

/** The closure days of one organisation, with who set each and when. */
export interface ClosureDetail extends ClosureRow {
  updatedBy: string;
  updatedAt: Date;
}

/** An organisation given inline with a new partnership, with its contacts. */
export type NewOrganisation = Pick<
  OrganisationEntity,
  'id' | 'name' | 'region' | 'country' | 'kind'
> & {
  contacts: Pick<
    ContactEntity,
    'id' | 'name' | 'email' | 'role' | 'language' | 'timeZone' | 'workingHours'
  >[];
};

/** A contact recorded with its organisation, or added to it later. */
export type NewContact = NewOrganisation['contacts'][number];

/** A contact as the e-mails address them. */
export interface ContactRow {
  id: string;
  name: string;
  email: string;
  language: Language;
  time_zone: string;
}

/**
 * Organisations and their contacts (`organisations`, `contacts`). Which organisations a user may
 * see is one rule here: an admin (`memberUserId` undefined) every one; anyone else those that are
 * partners in a partnership they are a member of.
 */
export class OrganisationsRepository {
  constructor(private readonly db: DataSource) {}

  /** Records an inline organisation and its contacts in the caller's transaction; a retry adds nothing. */
  async insertNew(tx: SqlRunner, org: NewOrganisation): Promise<void> {
    await tx.query(
      `INSERT INTO organisations (id, name, region, country, kind)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`,
      [org.id, org.name, org.region, org.country, org.kind],
    );
    for (const c of org.contacts) await this.insertContact(tx, org.id, c);
  }

  /**
   * Records a contact of an organisation in the caller's transaction; a retry adds nothing (nor
   * does a colleague's address taken meanwhile: the API refuses it first, only a race gets here).
   */
  async insertContact(tx: SqlRunner, organisationId: string, c: NewContact): Promise<void> {
    await tx.query(
      `INSERT INTO contacts (id, organisation_id, name, email, role, language, time_zone, working_hours)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        c.id,
        organisationId,
        c.name.trim(),
        c.email.trim().toLowerCase(),
        c.role,
        c.language,
        c.timeZone,
        JSON.stringify(c.workingHours),
      ],
    );
  }

  /** A page of the organisations visible to `memberUserId`, by name; `q` in the name, literally. */
  pageVisible(
    memberUserId: string | undefined,
    page: { q?: string; skip: number; take: number },
  ): Promise<[OrganisationEntity[], number]> {
    const visible = this.visibleTo(memberUserId);
    if (page.q) visible.andWhere('o.name ILIKE :pattern', { pattern: likePattern(page.q) });
    return visible
      .orderBy('o.name', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .skip(page.skip)
      .take(page.take)
      .getManyAndCount();
  }

  /** Those of `ids` (lower-case uuids) visible to `memberUserId`. */
  findVisible(memberUserId: string | undefined, ids: string[]): Promise<OrganisationEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.visibleTo(memberUserId).andWhere('o.id IN (:...ids)', { ids }).getMany();
  }

  private visibleTo(memberUserId: string | undefined): SelectQueryBuilder<OrganisationEntity> {
    const qb = this.db.getRepository(OrganisationEntity).createQueryBuilder('o').where('TRUE');
    if (memberUserId === undefined) return qb;
    // Not correlated: the user's partners are looked up once (a hashed subplan).
    return qb.andWhere(
      `o.id IN (SELECT po.organisation_id FROM partnership_organisations po
                  JOIN partnership_members m ON m.partnership_id = po.partnership_id
                 WHERE m.user_id = :userId)`,
      { userId: memberUserId },
    );
  }

  /** The contacts of these organisations, by name. */
  contactsOf(organisationIds: string[]): Promise<ContactEntity[]> {
    if (organisationIds.length === 0) return Promise.resolve([]);
    return this.db.getRepository(ContactEntity).find({
      where: { organisationId: In(organisationIds) },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  /** The ids of these organisations' contacts. */
  async contactIdsOf(organisationIds: string[]): Promise<string[]> {
    if (organisationIds.length === 0) return [];
    const found = await this.db.getRepository(ContactEntity).find({
      where: { organisationId: In(organisationIds) },
      select: { id: true },
    });
    return found.map((c) => c.id);
  }

  findContact(id: string): Promise<ContactEntity | null> {
    return this.db.getRepository(ContactEntity).findOneBy({ id });
  }

  /** The contacts with these ids (those that exist), as the e-mails address them. */
  contactsToEmail(ids: string[]): Promise<ContactRow[]> {
    return rows<ContactRow>(
      this.db,
      'SELECT id, name, email, language, time_zone FROM contacts WHERE id = ANY($1)',
      [ids],
    );
  }

  /** The closures of these organisations, by date. */
  async closuresOf(organisationIds: string[]): Promise<Map<string, ClosureRow[]>> {
    const byOrganisation = new Map<string, ClosureRow[]>(organisationIds.map((id) => [id, []]));
    if (organisationIds.length === 0) return byOrganisation;
    const found = await rows<ClosureRow & { organisation_id: string }>(
      this.db,
      `SELECT organisation_id, to_char(date, 'YYYY-MM-DD') AS date, name
         FROM organisation_closures
        WHERE organisation_id = ANY($1)
        ORDER BY organisation_id, date`,
      [organisationIds],
    );
    for (const c of found)
      byOrganisation.get(c.organisation_id)?.push({ date: c.date, name: c.name });
    return byOrganisation;
  }

  /** One organisation's closures with who set them, by date. */
  closureDetails(organisationId: string): Promise<ClosureDetail[]> {
    return rows<ClosureDetail>(
      this.db,
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, name, updated_by AS "updatedBy",
              updated_at AS "updatedAt"
         FROM organisation_closures WHERE organisation_id = $1 ORDER BY date`,
      [organisationId],
    );
  }

  /**
   * Sets a closure (a new date, or a new name for one already set) in the caller's transaction and
   * raises the organisation's calendar revision; the same closure again changes nothing, and a
   * new date when the organisation has `limit` already is refused ('full'). Changes of one
   * organisation's closures take turns (a transaction lock), so the limit holds.
   */
  async putClosure(
    tx: SqlRunner,
    organisationId: string,
    closure: ClosureRow,
    by: string,
    limit: number,
  ): Promise<'set' | 'unchanged' | 'full'> {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`closures:${organisationId}`]);
    const [held] = await rows<{ total: number; here: number }>(
      tx,
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE date = $2)::int AS here
         FROM organisation_closures WHERE organisation_id = $1`,
      [organisationId, closure.date],
    );
    if (held.here === 0 && held.total >= limit) return 'full';
    const changed = await rows<{ date: string }>(
      tx,
      `INSERT INTO organisation_closures (organisation_id, date, name, updated_by)
            VALUES ($1, $2, $3, $4)
       ON CONFLICT (organisation_id, date) DO UPDATE
               SET name = EXCLUDED.name, updated_by = EXCLUDED.updated_by, updated_at = now()
             WHERE organisation_closures.name IS DISTINCT FROM EXCLUDED.name
       RETURNING date`,
      [organisationId, closure.date, closure.name, by],
    );
    if (changed.length === 0) return 'unchanged';
    await this.raiseCalendarRevision(tx, organisationId);
    return 'set';
  }

  /** Removes a closure in the caller's transaction; whether there was one. */
  async deleteClosure(tx: SqlRunner, organisationId: string, date: string): Promise<boolean> {
    // A SELECT over the DELETE: TypeORM answers a bare DELETE with [rows, count], not rows.
    const [removed] = await rows<{ n: number }>(
      tx,
      `WITH gone AS (DELETE FROM organisation_closures
                      WHERE organisation_id = $1 AND date = $2 RETURNING date)
       SELECT count(*)::int AS n FROM gone`,
      [organisationId, date],
    );
    if (removed.n > 0) await this.raiseCalendarRevision(tx, organisationId);
    return removed.n > 0;
  }

  private async raiseCalendarRevision(tx: SqlRunner, organisationId: string): Promise<void> {
    await tx.query(
      'UPDATE organisations SET calendar_revision = calendar_revision + 1 WHERE id = $1',
      [organisationId],
    );
  }
}
