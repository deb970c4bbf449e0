import { In, type DataSource, type SelectQueryBuilder } from 'typeorm';
import type { Language } from '../../domain';
import { ContactEntity } from '../entities/contact.entity';
import { OrganisationEntity } from '../entities/organisation.entity';
import { likePattern, rows, type SqlRunner } from './sql';

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
    for (const c of org.contacts) {
      await tx.query(
        `INSERT INTO contacts (id, organisation_id, name, email, role, language, time_zone, working_hours)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [
          c.id,
          org.id,
          c.name,
          c.email,
          c.role,
          c.language,
          c.timeZone,
          JSON.stringify(c.workingHours),
        ],
      );
    }
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
}
