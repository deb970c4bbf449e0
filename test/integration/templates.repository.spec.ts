import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource, PartnershipsRepository, TemplatesRepository } from '@libs/db';
import {
  DEFAULT_TEMPLATE_TASK_IDS,
  TEMPLATE_TASK_TITLES,
  templateProblems,
  type TemplateVersionContent,
} from '@libs/domain';
import { requireEnv } from '../support/stack';

/**
 * The stage templates' repository against real PostgreSQL with the real migrations: the seeded
 * versions as the templates migration left them, and a draft's life under a key of its own (so
 * that nothing here changes what other tests' partnerships start with).
 */
describe(TemplatesRepository.name, () => {
  let dataSource: DataSource;
  let templates: TemplatesRepository;
  const key = `it_${randomUUID().slice(0, 8)}`;
  const admin = randomUUID();

  beforeAll(async () => {
    dataSource = createDataSource(requireEnv('TEST_DATABASE_URL'));
    await dataSource.initialize();
    templates = new TemplatesRepository(dataSource);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) {
      for (const table of ['stage_template_tasks', 'stage_template_gates', 'stage_templates']) {
        await dataSource.query(`DELETE FROM ${table} WHERE template_key = $1`, [key]);
      }
      await dataSource.query('DELETE FROM partnerships WHERE template_key = $1', [key]);
    }
    await dataSource?.destroy();
  });

  it.each([1, 2])(
    'keeps seeded default version %i published, each task titled in es and zh as the catalog translated it',
    async (version) => {
      const found = await templates.find('default', version);
      expect(found?.status).toBe('published');
      expect(found?.publishedAt).not.toBeNull();
      const titles = Object.fromEntries(
        found!.content.stages.flatMap((s) => s.tasks.map((t) => [`${s.stage}.${t.key}`, t.titles])),
      );
      expect(Object.keys(titles).sort()).toEqual([...DEFAULT_TEMPLATE_TASK_IDS].sort());
      for (const id of DEFAULT_TEMPLATE_TASK_IDS) {
        expect(titles[id]).toEqual({
          en: TEMPLATE_TASK_TITLES.en[id],
          es: TEMPLATE_TASK_TITLES.es[id],
          zh: TEMPLATE_TASK_TITLES.zh[id],
        });
      }
      // A seeded version would be publishable as it is.
      expect(templateProblems(found!.content, { toPublish: true })).toEqual([]);
    },
  );

  it('reads version 2’s gate rule: the project proposal needs every partner’s consent', async () => {
    const found = await templates.find('default', 2);
    expect(found?.content.stages.map((s) => [s.stage, s.gate])).toEqual([
      ['introduction', { consent: 'none' }],
      ['area_exploration', { consent: 'none' }],
      ['knowledge_sharing', { consent: 'none' }],
      ['project_proposal', { consent: 'partners', organisationRule: 'any' }],
    ]);
  });

  it('creates a draft copied from a version, one draft at a time, edits it and publishes it', async () => {
    const copy = await dataSource.transaction((tx) =>
      templates.createDraft(tx, key, { key: 'default', version: 2 }, admin),
    );
    expect(copy).toEqual({ created: 1 });
    const source = await templates.find('default', 2);
    const draft = await templates.find(key, 1);
    expect(draft).toMatchObject({ status: 'draft', createdBy: admin, publishedAt: null });
    expect(draft?.content).toEqual(source?.content);
    expect(draft?.taskCount).toBe(13);

    // A second draft (a retried request) is refused; a copy of a missing version too.
    await expect(
      dataSource.transaction((tx) => templates.createDraft(tx, key, undefined, admin)),
    ).resolves.toBe('draft_exists');
    await expect(
      dataSource.transaction((tx) =>
        templates.createDraft(tx, `${key}_x`, { key, version: 99 }, admin),
      ),
    ).resolves.toBe('copy_missing');
    expect((await templates.list()).some((h) => h.templateKey === `${key}_x`)).toBe(false);

    const edited: TemplateVersionContent = {
      stages: [
        {
          stage: 'introduction',
          gate: { consent: 'partners', organisationRule: 'all' },
          tasks: [
            {
              key: 'kick_off',
              kind: 'task',
              required: true,
              dueOffsetDays: 5,
              titles: { en: 'Kick-off', es: 'Arranque', zh: '启动会' },
            },
            {
              key: 'consent',
              kind: 'approval',
              required: false,
              answeredBy: 'partners',
              dueOffsetDays: null,
              titles: { en: 'Agree' },
            },
          ],
        },
        { stage: 'area_exploration', gate: { consent: 'none' }, tasks: [] },
        { stage: 'knowledge_sharing', gate: { consent: 'none' }, tasks: [] },
        { stage: 'project_proposal', gate: { consent: 'none' }, tasks: [] },
      ],
    };
    await dataSource.transaction((tx) => templates.replaceContent(tx, key, 1, edited));
    expect((await templates.find(key, 1))?.content).toEqual(edited);
    expect(await templates.latestPublished(key)).toBeUndefined();

    await dataSource.transaction((tx) => templates.markPublished(tx, key, 1, admin));
    const published = await templates.latestPublished(key);
    expect(published).toMatchObject({ version: 1, status: 'published', publishedBy: admin });
    expect(published?.publishedAt).toBeInstanceOf(Date);
    // A published version is no draft to publish again.
    await dataSource.transaction((tx) => templates.markPublished(tx, key, 1, randomUUID()));
    expect((await templates.find(key, 1))?.publishedBy).toBe(admin);

    // The next draft is numbered after it.
    await expect(
      dataSource.transaction((tx) => templates.createDraft(tx, key, undefined, admin)),
    ).resolves.toEqual({ created: 2 });
    expect((await templates.find(key, 2))?.content.stages.every((s) => s.tasks.length === 0)).toBe(
      true,
    );
    expect((await templates.latestPublished(key))?.version).toBe(1);
  });

  it('gives the titles of the version a partnership keeps, by task id', async () => {
    const id = randomUUID();
    await new PartnershipsRepository(dataSource).insertRecorded(dataSource, {
      id,
      title: `Template titles ${id}`,
      coordinatorName: 'Ana',
      coordinatorEmail: 'ana@iurc.example',
      areas: [],
      workflowId: `partnership-${id}`,
      sequence: 1,
      templateKey: key,
      templateVersion: 1,
      occurredAt: '2026-12-01T09:00:00.000Z',
      followUpPolicy: null,
      contactIds: [],
    });
    expect(await templates.titlesOfPartnership(id)).toEqual({
      'introduction.kick_off': { en: 'Kick-off', es: 'Arranque', zh: '启动会' },
      'introduction.consent': { en: 'Agree' },
    });
    expect(await templates.gateRules(key, 1)).toEqual({
      introduction: { consent: 'partners', organisationRule: 'all' },
    });
  });
});
