import { Injectable } from '@nestjs/common';
import { AppConfig } from '@libs/config';
import { PartnershipsRepository } from '@libs/db';
import { MyWorkQuery, MyWorkPageView } from './my-work.dto';

/**
 * What waits on a coordinator across the partnerships they coordinate (membership role
 * coordinator; those still running: active or paused), from the read model in one query.
 */
@Injectable()
export class MyWorkService {
  constructor(
    private readonly partnerships: PartnershipsRepository,
    private readonly config: AppConfig,
  ) {}

  async list(userId: string, query: MyWorkQuery): Promise<MyWorkPageView> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const rows = await this.partnerships.myWork(userId, {
      limit: pageSize,
      offset: (page - 1) * pageSize,
      defaultZone: this.config.COORDINATOR_TIME_ZONE,
    });
    // Past the last page the window has no row to count on: ask for the count alone.
    const total = rows[0]?.total ?? (page > 1 ? await this.count(userId, query) : 0);
    return {
      items: rows.map((r) => ({
        kind: r.kind,
        partnershipId: r.partnership_id,
        partnershipTitle: r.partnership_title,
        stage: r.stage,
        at: new Date(r.at).toISOString(),
        approvalId: r.approval_id,
        taskId: r.task_id,
        title: r.title,
        dueDate: r.due_date,
      })),
      page,
      pageSize,
      total,
    };
  }

  private async count(userId: string, query: MyWorkQuery): Promise<number> {
    const first = await this.list(userId, { ...query, page: 1, pageSize: 1 });
    return first.total;
  }
}
