import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AppConfig } from '@libs/config';
import {
  InsightRepository,
  PartnershipsRepository,
  type InsightSelection,
  type InsightSource,
} from '@libs/db';
import {
  partnershipInsight,
  stageDurations,
  turnaroundByOrganisation,
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
  source: InsightSource;
  insight: PartnershipInsight;
}

/** Insight over the timelines (docs/analytics.md): one fold per partnership, then the figures. */
@Injectable()
export class InsightService {
  constructor(
    private readonly read: PartnershipReadService,
    private readonly insight: InsightRepository,
    private readonly partnerships: PartnershipsRepository,
    private readonly config: AppConfig,
  ) {}

  /** Across every partnership the board would list to `memberUserId` under `query`'s filters. */
  async across(
    query: ListPartnershipsQuery,
    memberUserId: string | undefined,
  ): Promise<InsightView> {
    const now = new Date();
    // The board's order from its ids; the figures read over the same filters as a subquery.
    const [ids, unordered] = await Promise.all([
      this.read.boardIds(query, memberUserId),
      this.fold(
        this.partnerships.boardSelection({
          memberUserId,
          q: query.q,
          stage: query.stage,
          status: query.status,
        }),
        now,
      ),
    ]);
    const byId = new Map(unordered.map((f) => [f.source.id, f]));
    const folded = ids.flatMap((id) => byId.get(id) ?? []);
    const insights = folded.map((f) => f.insight);
    const names = new Map(
      folded.flatMap((f) => f.source.organisations.map((o) => [o.id, o.name] as const)),
    );
    const nameOf = (id: string): string => names.get(id) ?? id;

    const sides = new Map<string, InsightSideView>();
    const side = (organisationId: string | null): InsightSideView => {
      const key = organisationId ?? '';
      let view = sides.get(key);
      if (!view) {
        view = {
          side: organisationId ? 'organisation' : 'coordinator',
          organisationId,
          organisationName: organisationId ? nameOf(organisationId) : null,
          waitingNow: 0,
          waitingSeconds: 0,
          overdueTasks: 0,
        };
        sides.set(key, view);
      }
      return view;
    };
    side(null);
    const waitingMsBySide = new Map<string, number>();
    for (const { source, insight } of folded) {
      if (insight.waitingOn === 'coordinator') side(null).waitingNow += 1;
      for (const org of insight.waitingOnOrganisationIds) side(org).waitingNow += 1;
      waitingMsBySide.set('', (waitingMsBySide.get('') ?? 0) + insight.waitingMs.coordinator);
      for (const [org, ms] of Object.entries(insight.waitingMs.organisations)) {
        side(org);
        waitingMsBySide.set(org, (waitingMsBySide.get(org) ?? 0) + ms);
      }
      for (const [key, n] of Object.entries(source.overdueBySide)) {
        side(key === 'coordinator' ? null : key).overdueTasks += n;
      }
    }
    for (const [key, view] of sides) view.waitingSeconds = seconds(waitingMsBySide.get(key) ?? 0);

    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    return {
      generatedAt: now.toISOString(),
      total: folded.length,
      stages: stageDurations(insights).map(stageView),
      approvalTurnaround: turnaroundByOrganisation(insights)
        .map((t) => ({
          organisationId: t.organisationId,
          organisationName: nameOf(t.organisationId),
          answered: t.answered,
          medianSeconds: seconds(t.medianMs ?? 0),
          p90Seconds: seconds(t.p90Ms ?? 0),
        }))
        .sort(byName),
      sides: [...sides.values()].sort(
        (a, b) =>
          Number(a.side === 'organisation') - Number(b.side === 'organisation') ||
          (a.organisationName ?? '').localeCompare(b.organisationName ?? '') ||
          (a.organisationId ?? '').localeCompare(b.organisationId ?? ''),
      ),
      overdueTasks: folded.reduce((n, f) => n + f.source.overdueTasks, 0),
      page,
      pageSize,
      items: folded.slice((page - 1) * pageSize, page * pageSize).map(rowView),
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

  private async fold(selection: InsightSelection, now: Date): Promise<Folded[]> {
    const { partnerships, contactOrganisations } = await this.insight.sources(
      selection,
      this.config.COORDINATOR_TIME_ZONE,
    );
    const at = now.toISOString();
    return partnerships.map((source) => ({
      source,
      insight: partnershipInsight(
        source.events,
        { contactOrganisations, approvals: source.approvals, tasks: source.tasks },
        at,
      ),
    }));
  }
}

function byName(a: { organisationName: string }, b: { organisationName: string }): number {
  return a.organisationName.localeCompare(b.organisationName);
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
