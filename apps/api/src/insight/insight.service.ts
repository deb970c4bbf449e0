import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AppConfig } from '@libs/config';
import {
  InsightRepository,
  PartnershipsRepository,
  type InsightSelection,
  type InsightSummary,
} from '@libs/db';
import {
  foldInsight,
  insightAt,
  type FoldedInsight,
  STAGES,
  stageDurations,
  type PartnershipInsight,
  type StageDuration,
} from '@libs/domain';
import { csvStream, rowsOf, type CsvColumn } from '../platform/csv';
import type { BoardExportQuery, ListPartnershipsQuery } from '../partnerships/lifecycle.dto';
import { PartnershipReadService } from '../partnerships/partnership-read.service';
import type {
  InsightSideView,
  InsightView,
  PartnershipInsightRowView,
  PartnershipInsightView,
  StageDurationView,
} from './insight.dto';

/** Several values in one cell, as the board's export separates them. */
const LIST_SEPARATOR = '; ';

/** Whole seconds of a duration in milliseconds. */
function seconds(ms: number): number;
function seconds(ms: number | null): number | null;
function seconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 1000);
}

function stageView(s: StageDuration): StageDurationView {
  return {
    stage: s.stage,
    endedStays: s.endedStays,
    medianSeconds: seconds(s.medianMs),
    p90Seconds: seconds(s.p90Ms),
    openStays: s.openStays,
  };
}

/**
 * The insight export's columns, in order: documented in docs/api.md ("CSV exports"); a header
 * never changes once published (add new columns at the end).
 */
export const INSIGHT_CSV_COLUMNS: CsvColumn<PartnershipInsightRowView>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'Title', value: (r) => r.title },
  { header: 'Stage', value: (r) => r.stage },
  { header: 'Status', value: (r) => r.status },
  { header: 'Waiting on', value: (r) => r.waitingOn },
  {
    header: 'Waiting on organisations',
    value: (r) =>
      r.waitingOnOrganisationIds
        .map((id) => r.organisations.find((o) => o.organisationId === id)?.organisationName ?? id)
        .join(LIST_SEPARATOR),
  },
  { header: 'Waiting since (UTC)', value: (r) => r.waitingSince },
  { header: 'Seconds in current stage', value: (r) => r.currentStageSeconds },
  { header: 'Seconds waiting on the coordinator', value: (r) => r.coordinatorWaitingSeconds },
  {
    header: 'Organisations',
    value: (r) => r.organisations.map((o) => o.organisationName).join(LIST_SEPARATOR),
  },
  {
    header: 'Seconds waiting on each organisation',
    value: (r) => r.organisations.map((o) => o.waitingSeconds).join(LIST_SEPARATOR),
  },
  { header: 'Overdue tasks', value: (r) => r.overdueTasks },
];

interface Folded {
  source: InsightSummary;
  insight: PartnershipInsight;
}

/**
 * Insight over the timelines (docs/analytics.md): each partnership's fold carried to now (folded
 * again first where its timeline moved), then the figures.
 */
@Injectable()
export class InsightService {
  constructor(
    private readonly read: PartnershipReadService,
    private readonly insight: InsightRepository,
    private readonly partnerships: PartnershipsRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * Across every partnership the board would list to `memberUserId` under `query`'s filters: the
   * figures aggregated in the database from the kept folds (folded again first where a timeline
   * moved), the page's rows carried to now here.
   */
  async across(
    query: ListPartnershipsQuery,
    memberUserId: string | undefined,
  ): Promise<InsightView> {
    const now = new Date();
    const selection = this.partnerships.boardSelection({
      memberUserId,
      q: query.q,
      stage: query.stage,
      status: query.status,
    });
    await this.refold(await this.insight.staleIds(selection));
    // The board's order from its ids; the figures over the same filters as a subquery.
    const [ids, figures] = await Promise.all([
      this.read.boardIds(query, memberUserId),
      this.insight.figures(selection, now.getTime(), this.config.COORDINATOR_TIME_ZONE),
    ]);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const pageIds = ids.slice((page - 1) * pageSize, page * pageSize);
    const rows = new Map((await this.fold(pageIds, now)).map((f) => [f.source.id, f]));

    const sides = new Map<string, InsightSideView>();
    const side = (key: string, name: string | null): InsightSideView => {
      let view = sides.get(key);
      if (!view) {
        view = {
          side: key ? 'organisation' : 'coordinator',
          organisationId: key || null,
          organisationName: key ? (name ?? key) : null,
          waitingNow: 0,
          waitingSeconds: 0,
          overdueTasks: 0,
        };
        sides.set(key, view);
      }
      return view;
    };
    side('', null);
    for (const row of figures.sides) {
      const view = side(row.organisation_id ?? '', row.name);
      view.waitingNow += row.waiting_now;
      view.waitingSeconds = seconds(row.ms);
    }
    for (const row of figures.overdue) {
      side(row.organisation_id ?? '', row.name).overdueTasks += row.overdue;
    }
    const byStage = new Map(figures.stages.map((row) => [row.stage, row]));

    return {
      generatedAt: now.toISOString(),
      total: ids.length,
      stages: STAGES.filter((stage) => stage !== 'agreed').map((stage) => {
        const row = byStage.get(stage);
        return stageView({
          stage,
          endedStays: row?.ended ?? 0,
          medianMs: row?.median ?? null,
          p90Ms: row?.p90 ?? null,
          openStays: row?.open ?? 0,
        });
      }),
      approvalTurnaround: figures.turnarounds
        .map((t) => ({
          organisationId: t.organisation_id,
          organisationName: t.name ?? t.organisation_id,
          answered: t.answered,
          medianSeconds: seconds(t.median),
          p90Seconds: seconds(t.p90),
        }))
        .sort(byName),
      sides: [...sides.values()].sort(
        (a, b) =>
          Number(a.side === 'organisation') - Number(b.side === 'organisation') ||
          (a.organisationName ?? '').localeCompare(b.organisationName ?? '') ||
          (a.organisationId ?? '').localeCompare(b.organisationId ?? ''),
      ),
      overdueTasks: figures.overdue.reduce((n, row) => n + row.overdue, 0),
      page,
      pageSize,
      items: pageIds.flatMap((id) => {
        const row = rows.get(id);
        return row ? [rowView(row)] : [];
      }),
    };
  }

  /** One partnership's insight (the caller checked that they may read it). */
  async one(id: string): Promise<PartnershipInsightView> {
    await this.read.requireRow(id);
    const now = new Date();
    const [folded] = await this.fold([id], now);
    const { insight } = folded;
    return {
      generatedAt: now.toISOString(),
      ...rowView(folded),
      stays: insight.stays.map((s) => ({
        stage: s.stage,
        enteredAt: s.enteredAt,
        leftAt: s.leftAt,
        leftBy: s.leftBy,
        seconds: seconds(s.ms),
      })),
      turnarounds: insight.turnarounds.map((t) => ({
        approvalId: t.approvalId,
        organisationId: t.organisationId,
        requestedAt: t.requestedAt,
        answeredAt: t.answeredAt,
        seconds: seconds(t.ms),
      })),
      stages: stageDurations([insight]).map(stageView),
    };
  }

  /**
   * The rows of `across` as CSV, every one (no paging): the list of partnerships when the export
   * starts, then their figures a batch at a time.
   */
  async export(query: BoardExportQuery, memberUserId: string | undefined): Promise<Readable> {
    const ids = await this.read.boardIds(query, memberUserId);
    const now = new Date();
    const rows = rowsOf(ids, async (batch) => (await this.fold(batch, now)).map(rowView));
    return csvStream(INSIGHT_CSV_COLUMNS, rows);
  }

  /**
   * The partnerships `selection` names at `now`: each one's kept fold carried to now, after
   * folding again, and keeping, those whose timeline moved since their fold was kept.
   */
  private async fold(selection: InsightSelection, now: Date): Promise<Folded[]> {
    const summaries = await this.insight.summaries(selection, this.config.COORDINATOR_TIME_ZONE);
    const refolded = await this.refold(summaries.filter((s) => s.fold === null).map((s) => s.id));
    const at = now.toISOString();
    return summaries.flatMap((source) => {
      const fold = source.fold ?? refolded.get(source.id);
      return fold ? [{ source, insight: insightAt(fold, at) }] : [];
    });
  }

  /** Folds the partnerships `ids` names again, from one snapshot, and keeps their folds. */
  private async refold(ids: readonly string[]): Promise<Map<string, FoldedInsight>> {
    if (ids.length === 0) return new Map();
    const { partnerships, contactOrganisations } = await this.insight.sources(ids);
    const folds = partnerships.map((source) => ({
      partnershipId: source.id,
      throughSequence: source.lastSequence,
      fold: foldInsight(source.events, {
        contactOrganisations,
        approvals: source.approvals,
        tasks: source.tasks,
      }),
    }));
    await this.insight.saveFolds(folds);
    return new Map(folds.map((f) => [f.partnershipId, f.fold]));
  }
}

function byName(
  a: { organisationName: string; organisationId: string },
  b: { organisationName: string; organisationId: string },
): number {
  return (
    a.organisationName.localeCompare(b.organisationName) ||
    a.organisationId.localeCompare(b.organisationId)
  );
}

function rowView({ source, insight }: Folded): PartnershipInsightRowView {
  return {
    id: source.id,
    title: source.title,
    stage: source.stage,
    status: source.status,
    waitingOn: insight.waitingOn,
    waitingOnOrganisationIds: insight.waitingOnOrganisationIds,
    waitingSince: insight.waitingSince,
    currentStageSeconds: seconds(insight.currentStageMs),
    coordinatorWaitingSeconds: seconds(insight.waitingMs.coordinator),
    organisations: source.organisations.map((o) => ({
      organisationId: o.id,
      organisationName: o.name,
      waitingSeconds: seconds(insight.waitingMs.organisations[o.id] ?? 0),
    })),
    overdueTasks: source.overdueTasks,
  };
}
