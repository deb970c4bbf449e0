import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@libs/config';
import {
  recordAudit,
  TemplatesRepository,
  type TemplateVersionHeader,
  type TemplateVersionRecord,
} from '@libs/db';
import {
  DomainError,
  ErrorCode,
  TEMPLATE_KEY_PATTERN,
  TEMPLATE_STAGES,
  templateDiff,
  templateProblems,
} from '@libs/domain';
import type {
  AuthUser,
  GateConsentRule,
  TemplateProblem,
  TemplateVersionContent,
} from '@libs/domain';
import {
  CreateTemplateDraftDto,
  TemplateContentDto,
  TemplateDiffQuery,
  TemplateDiffView,
  TemplateListView,
  TemplateVersionSummaryView,
  TemplateVersionView,
} from './templates.dto';

const VERSION = /^[1-9]\d{0,6}$/;

/**
 * Stage template versions (docs/templates.md): everyone signed in reads them; admins create a
 * draft, edit it, and publish it, after which it never changes. New partnerships start with the
 * latest published version of `PARTNERSHIP_TEMPLATE_KEY`.
 */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly templates: TemplatesRepository,
    private readonly config: AppConfig,
  ) {}

  async list(): Promise<TemplateListView> {
    const headers = await this.templates.list();
    const current = this.currentOf(headers);
    return {
      newPartnershipsKey: this.config.PARTNERSHIP_TEMPLATE_KEY,
      items: headers.map((h) => this.summaryOf(h, current)),
    };
  }

  async get(key: string, version: string): Promise<TemplateVersionView> {
    return this.viewOf(await this.require(key, version));
  }

  async createDraft(
    user: AuthUser,
    key: string,
    dto: CreateTemplateDraftDto,
  ): Promise<TemplateVersionView> {
    if (!TEMPLATE_KEY_PATTERN.test(key)) {
      throw invalid('key', 'key must be lower-case letters, digits and _ (1–40, a letter first)');
    }
    const copy = dto.copyFrom && { key: dto.copyFrom.key ?? key, version: dto.copyFrom.version };
    const outcome = await this.dataSource.transaction(async (tx) => {
      const created = await this.templates.createDraft(tx, key, copy, user.id);
      if (typeof created === 'object') {
        await recordAudit(tx, {
          actorUserId: user.id,
          action: 'template.draft_created',
          target: `${key}@${created.created}`,
          details: copy ? { copyFrom: `${copy.key}@${copy.version}` } : {},
        });
      }
      return created;
    });
    if (outcome === 'copy_missing') {
      throw new DomainError(
        ErrorCode.TEMPLATE_NOT_FOUND,
        `No template version ${copy?.key}@${copy?.version} to copy`,
      );
    }
    if (outcome === 'draft_exists') {
      const draft = (await this.templates.list()).find(
        (h) => h.templateKey === key && h.status === 'draft',
      );
      throw new DomainError(
        ErrorCode.TEMPLATE_DRAFT_EXISTS,
        `Template ${key} has a draft already: edit or publish it first`,
        { version: draft?.version ?? null },
      );
    }
    return this.get(key, String(outcome.created));
  }

  /** Replaces the draft's content; a content the rules refuse even as a draft is a 400. */
  async edit(
    user: AuthUser,
    key: string,
    version: string,
    dto: TemplateContentDto,
  ): Promise<TemplateVersionView> {
    const given = givenContentOf(dto);
    const problems = templateProblems(given, { toPublish: false });
    if (problems.length > 0) {
      throw new DomainError(ErrorCode.VALIDATION_FAILED, problems[0].message, {
        errors: fieldProblems(problems),
      });
    }
    const content = withEveryStage(given);
    await this.dataSource.transaction(async (tx) => {
      const draft = await this.requireDraft(tx, key, version);
      await this.templates.replaceContent(tx, draft.templateKey, draft.version, content);
      await recordAudit(tx, {
        actorUserId: user.id,
        action: 'template.draft_edited',
        target: `${draft.templateKey}@${draft.version}`,
        details: { tasks: content.stages.reduce((n, s) => n + s.tasks.length, 0) },
      });
    });
    return this.get(key, version);
  }

  /** Publishes the draft, or refuses it with every problem the rules find in it. */
  async publish(user: AuthUser, key: string, version: string): Promise<TemplateVersionView> {
    await this.dataSource.transaction(async (tx) => {
      const draft = await this.requireDraft(tx, key, version);
      const problems = templateProblems(draft.content, { toPublish: true });
      if (problems.length > 0) {
        throw new DomainError(
          ErrorCode.TEMPLATE_INVALID,
          `Template ${draft.templateKey}@${draft.version} cannot be published: ${problems.length} problem(s)`,
          { problems },
        );
      }
      await this.templates.markPublished(tx, draft.templateKey, draft.version, user.id);
      await recordAudit(tx, {
        actorUserId: user.id,
        action: 'template.published',
        target: `${draft.templateKey}@${draft.version}`,
        details: {},
      });
    });
    return this.get(key, version);
  }

  async diff(key: string, query: TemplateDiffQuery): Promise<TemplateDiffView> {
    const [from, to] = await Promise.all([
      this.require(key, String(query.from)),
      this.require(key, String(query.to)),
    ]);
    return { key, from: from.version, to: to.version, ...templateDiff(from.content, to.content) };
  }

  private async require(key: string, version: string): Promise<TemplateVersionRecord> {
    const found = VERSION.test(version)
      ? await this.templates.find(key, Number(version))
      : undefined;
    if (!found) throw notFound(key, version);
    return found;
  }

  /** The draft, its row locked until the caller's transaction ends; a published one is a 409. */
  private async requireDraft(
    tx: Parameters<TemplatesRepository['find']>[2],
    key: string,
    version: string,
  ): Promise<TemplateVersionRecord> {
    const found = VERSION.test(version)
      ? await this.templates.find(key, Number(version), tx, true)
      : undefined;
    if (!found) throw notFound(key, version);
    if (found.status !== 'draft') {
      throw new DomainError(
        ErrorCode.TEMPLATE_PUBLISHED,
        `Template ${key}@${version} is published: a published version never changes`,
      );
    }
    return found;
  }

  private async viewOf(record: TemplateVersionRecord): Promise<TemplateVersionView> {
    const current = this.currentOf(await this.templates.list());
    return {
      ...this.summaryOf(record, current),
      stages: record.content.stages,
      problems:
        record.status === 'draft' ? templateProblems(record.content, { toPublish: true }) : [],
    };
  }

  /** The version new partnerships start with: the latest published of the configured key. */
  private currentOf(headers: TemplateVersionHeader[]): number | undefined {
    const key = this.config.PARTNERSHIP_TEMPLATE_KEY;
    const published = headers.filter((h) => h.templateKey === key && h.status === 'published');
    return published.length > 0 ? Math.max(...published.map((h) => h.version)) : undefined;
  }

  private summaryOf(
    h: TemplateVersionHeader,
    current: number | undefined,
  ): TemplateVersionSummaryView {
    return {
      key: h.templateKey,
      version: h.version,
      status: h.status,
      createdBy: h.createdBy,
      createdAt: new Date(h.createdAt).toISOString(),
      updatedAt: new Date(h.updatedAt).toISOString(),
      publishedBy: h.publishedBy,
      publishedAt: h.publishedAt ? new Date(h.publishedAt).toISOString() : null,
      taskCount: h.taskCount,
      current: h.templateKey === this.config.PARTNERSHIP_TEMPLATE_KEY && h.version === current,
    };
  }
}

/** The draft content as the request gives it (in its order, so problems name its fields). */
function givenContentOf(dto: TemplateContentDto): TemplateVersionContent {
  const stages = dto.stages.map((s) => ({
    stage: s.stage,
    // As given: the rules refuse a gate rule of another shape.
    gate: { ...s.gate } as GateConsentRule,
    tasks: s.tasks.map((t) => ({
      key: t.key,
      kind: t.kind,
      required: t.required,
      ...(t.answeredBy ? { answeredBy: t.answeredBy } : {}),
      dueOffsetDays: t.dueOffsetDays,
      titles: {
        en: t.titles.en.trim(),
        ...(t.titles.es?.trim() ? { es: t.titles.es.trim() } : {}),
        ...(t.titles.zh?.trim() ? { zh: t.titles.zh.trim() } : {}),
      },
    })),
  }));
  return { stages };
}

/** Every stage in order, a stage the content leaves out with no tasks and no consent. */
function withEveryStage(given: TemplateVersionContent): TemplateVersionContent {
  const missing = TEMPLATE_STAGES.filter(
    (stage) => !given.stages.some((s) => s.stage === stage),
  ).map((stage) => ({ stage, gate: { consent: 'none' as const }, tasks: [] }));
  return {
    stages: [...given.stages, ...missing].sort(
      (a, b) => TEMPLATE_STAGES.indexOf(a.stage) - TEMPLATE_STAGES.indexOf(b.stage),
    ),
  };
}

function fieldProblems(problems: TemplateProblem[]): { field: string; messages: string[] }[] {
  const byField = new Map<string, string[]>();
  for (const p of problems) byField.set(p.field, [...(byField.get(p.field) ?? []), p.message]);
  return [...byField].map(([field, messages]) => ({ field, messages }));
}

function notFound(key: string, version: string): DomainError {
  return new DomainError(ErrorCode.TEMPLATE_NOT_FOUND, `No template version ${key}@${version}`);
}

function invalid(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.VALIDATION_FAILED, message, {
    errors: [{ field, messages: [message] }],
  });
}
