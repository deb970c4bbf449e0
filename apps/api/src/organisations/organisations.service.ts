import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository, SelectQueryBuilder } from 'typeorm';
import { ContactEntity, OrganisationEntity } from '../../../../libs/db';
import type { AuthUser } from '../../../../libs/domain';
import type { OrganisationView } from '../partnerships/partnership.dto';
import { ListOrganisationsQuery, OrganisationPageView } from './organisations.dto';

/**
 * The organisations a user may see: an admin every one; anyone else those that are partners in
 * a partnership they coordinate or observe. The same rule lists them and decides which existing
 * organisation a new partnership may link, so no one links (and then reads the contacts of) an
 * organisation they could not list.
 */
@Injectable()
export class OrganisationsService {
  constructor(
    @InjectRepository(OrganisationEntity)
    private readonly organisations: Repository<OrganisationEntity>,
    @InjectRepository(ContactEntity) private readonly contacts: Repository<ContactEntity>,
  ) {}

  async list(query: ListOrganisationsQuery, user: AuthUser): Promise<OrganisationPageView> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const visible = this.visibleTo(user);
    if (query.q) {
      // Literal: LIKE's wildcards and its escape character are escaped (backslash is the default).
      const pattern = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      visible.andWhere('o.name ILIKE :pattern', { pattern });
    }
    const [rows, total] = await visible
      .orderBy('o.name', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    const contacts = rows.length
      ? await this.contacts.find({
          where: { organisationId: In(rows.map((r) => r.id)) },
          order: { name: 'ASC', id: 'ASC' },
        })
      : [];
    const items = rows.map((o): OrganisationView => ({
      id: o.id,
      name: o.name,
      region: o.region,
      country: o.country,
      kind: o.kind,
      contacts: contacts
        .filter((c) => c.organisationId === o.id)
        .map((c) => ({
          id: c.id,
          name: c.name,
          email: c.email,
          role: c.role,
          language: c.language,
          timeZone: c.timeZone,
          workingHours: c.workingHours,
        })),
    }));
    return { items, page, pageSize, total };
  }

  /** Those of `ids` (lower-case uuids) that `user` may see; the others are as if they did not exist. */
  findVisible(user: AuthUser, ids: string[]): Promise<OrganisationEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.visibleTo(user).andWhere('o.id IN (:...ids)', { ids }).getMany();
  }

  private visibleTo(user: AuthUser): SelectQueryBuilder<OrganisationEntity> {
    const qb = this.organisations.createQueryBuilder('o').where('TRUE');
    if (user.role === 'admin') return qb;
    // Not correlated: the user's partners are looked up once (a hashed subplan).
    return qb.andWhere(
      `o.id IN (SELECT po.organisation_id FROM partnership_organisations po
                  JOIN partnership_members m ON m.partnership_id = po.partnership_id
                 WHERE m.user_id = :userId)`,
      { userId: user.id },
    );
  }
}
