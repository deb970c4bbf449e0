import { Injectable } from '@nestjs/common';
import { OrganisationEntity, OrganisationsRepository } from '@libs/db';
import type { AuthUser } from '@libs/domain';
import { toOrganisationView } from '../partnerships/partnership-views';
import { ListOrganisationsQuery, OrganisationPageView } from './organisations.dto';

/**
 * The organisations a user may see: an admin every one; anyone else those that are partners in
 * a partnership they coordinate or observe. The same rule lists them and decides which existing
 * organisation a new partnership may link, so no one links (and then reads the contacts of) an
 * organisation they could not list.
 */
@Injectable()
export class OrganisationsService {
  constructor(private readonly organisations: OrganisationsRepository) {}

  async list(query: ListOrganisationsQuery, user: AuthUser): Promise<OrganisationPageView> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const [rows, total] = await this.organisations.pageVisible(visibleTo(user), {
      q: query.q,
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    const contacts = await this.organisations.contactsOf(rows.map((r) => r.id));
    const items = rows.map((o) =>
      toOrganisationView(
        o,
        contacts.filter((c) => c.organisationId === o.id),
      ),
    );
    return { items, page, pageSize, total };
  }

  /** Those of `ids` (lower-case uuids) that `user` may see; the others are as if they did not exist. */
  findVisible(user: AuthUser, ids: string[]): Promise<OrganisationEntity[]> {
    return this.organisations.findVisible(visibleTo(user), ids);
  }
}

/** Whose memberships limit what `user` sees: none for an admin (every organisation). */
function visibleTo(user: AuthUser): string | undefined {
  return user.role === 'admin' ? undefined : user.id;
}
