import { Injectable } from '@nestjs/common';
import { verifyTaskLink } from '@libs/approval-links';
import { ContactEntity, OrganisationsRepository, PartnershipEntity } from '@libs/db';
import { contactActor } from '@libs/domain';
import type { Task, TaskReport, TemplateTitles } from '@libs/domain';
import type { VerifiedTaskLinkClaims } from '@libs/approval-links';
import { reportTaskUpdate } from '@workflows/partnership/partnership.contract';
import { PartnershipReadService } from '../partnerships/partnership-read.service';
import { PartnershipUpdatesService } from '../partnerships/partnership-updates.service';
import { LinkResolution, PartnerLinksService } from './partner-links.service';

/** What a genuine task link points at, as recorded now. */
export interface TaskLinkTarget {
  contact: ContactEntity;
  /** With its titles in every language when its template version has them. */
  task: Task & { titles?: TemplateTitles };
  partnership: PartnershipEntity;
}

export type TaskLinkResolution = LinkResolution<
  { claims: VerifiedTaskLinkClaims } & TaskLinkTarget
>;

/**
 * Task links: a partner contact's signed link to a task assigned to them (sent with the overdue
 * reminder). The link is the credential; the workflow decides whether the report is allowed.
 */
@Injectable()
export class TaskLinksService {
  constructor(
    private readonly links: PartnerLinksService,
    private readonly organisations: OrganisationsRepository,
    private readonly read: PartnershipReadService,
    private readonly updates: PartnershipUpdatesService,
  ) {}

  /**
   * Verifies the token and finds its contact, partnership and task. Ids come from the verified
   * claims only. Whether the task is still the contact's is the caller's to check (and the
   * workflow's, at the moment of the change).
   */
  resolve(token: string, acceptLanguage: string | undefined): Promise<TaskLinkResolution> {
    return this.links.resolve(verifyTaskLink, token, acceptLanguage, async (claims) => {
      const [contact, partnership] = await Promise.all([
        this.organisations.findContact(claims.contactId),
        this.read.find(claims.partnershipId),
      ]);
      const task = partnership
        ? (await this.read.tasksOf(partnership.id)).find((t) => t.id === claims.taskId)
        : undefined;
      // A genuine link whose partnership, task or contact is gone is refused like a foreign one.
      return contact && partnership && task ? { claims, contact, task, partnership } : undefined;
    });
  }

  /** Records the contact's report through the partnership's workflow; refusals as DomainErrors. */
  async report(target: TaskLinkTarget, report: TaskReport): Promise<void> {
    const id = target.partnership.id;
    await this.updates.execute(
      id,
      reportTaskUpdate,
      { actor: contactActor(target.contact), report },
      { blockers: [] },
    );
  }
}
