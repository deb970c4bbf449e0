import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createPartnershipActivities } from '../../apps/worker/src/partnerships/partnership.activities';
import { createDataSource } from '@libs/db';
import { tasksFromTemplate, TimelineEvent } from '@libs/domain';
import type { PartnershipActivities } from '@workflows/partnership/partnership.activities.contract';
import { PartnershipWorkflowInput } from '@workflows/partnership/partnership.contract';
import { requireEnv } from '../support/stack';

/** The worker's activities against real PostgreSQL with the real migrations. */
describe(createPartnershipActivities.name, () => {
  let dataSource: DataSource;
  let sut: Omit<
    PartnershipActivities,
    'sendApprovalEmails' | 'sendApprovalEmail' | 'sendFollowUpEmail' | 'sendKnowledgeRequestEmail'
  >;

  beforeAll(async () => {
    dataSource = createDataSource(requireEnv('TEST_DATABASE_URL'));
    await dataSource.initialize();
    sut = createPartnershipActivities(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  function fixture(): { input: PartnershipWorkflowInput; event: TimelineEvent } {
    const partnershipId = randomUUID();
    const orgId = randomUUID();
    const input: PartnershipWorkflowInput = {
      partnershipId,
      title: 'Integration partnership',
      areas: ['Funding environment'],
      coordinator: { name: 'Ana', email: 'ana@iurc.example' },
      organisations: [
        {
          id: orgId,
          isNew: true,
          name: `Org ${orgId}`,
          region: null,
          country: 'ES',
          kind: 'agency',
          contacts: [
            {
              id: randomUUID(),
              name: 'Raquel',
              email: `raquel-${orgId}@ivace.example`,
              role: null,
              language: 'es',
              timeZone: 'Europe/Madrid',
              workingHours: { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] },
            },
          ],
        },
        {
          id: randomUUID(),
          isNew: true,
          name: 'Other',
          region: 'Sichuan',
          country: 'CN',
          kind: 'institute',
          contacts: [],
        },
      ],
      requestHash: 'h',
      requestedAt: '2026-11-29T09:00:00.000Z',
      actor: { kind: 'coordinator', email: 'ana@iurc.example' },
    };
    const event: TimelineEvent = {
      sequence: 1,
      type: 'partnership.created',
      actor: input.actor,
      occurredAt: input.requestedAt,
      payload: { title: input.title },
    };
    return { input, event };
  }

  /** The rows of the fixture's partnership, each written once. */
  const RECORDED_ONCE = { partnerships: 1, events: 1, links: 2, organisations: 2, contacts: 1 };

  async function countsFor(input: PartnershipWorkflowInput): Promise<Record<string, number>> {
    const [row] = await dataSource.query(
      `SELECT (SELECT count(*) FROM partnerships WHERE id = $1)::int AS partnerships,
              (SELECT count(*) FROM partnership_events WHERE partnership_id = $1)::int AS events,
              (SELECT count(*) FROM partnership_organisations WHERE partnership_id = $1)::int AS links,
              (SELECT count(*) FROM organisations WHERE id = ANY($2))::int AS organisations,
              (SELECT count(*) FROM contacts WHERE organisation_id = ANY($2))::int AS contacts`,
      [input.partnershipId, input.organisations.map((o) => o.id)],
    );
    return row as Record<string, number>;
  }

  it('records organisations, contacts, the partnership and its created event', async () => {
    const { input, event } = fixture();
    await sut.recordPartnership(input, event);
    expect(await countsFor(input)).toEqual(RECORDED_ONCE);
    const [row] = await dataSource.query(
      'SELECT stage, status, areas, last_sequence FROM partnerships WHERE id = $1',
      [input.partnershipId],
    );
    expect(row).toEqual({
      stage: 'introduction',
      status: 'active',
      areas: ['Funding environment'],
      last_sequence: 1,
    });
    const [stored] = await dataSource.query(
      'SELECT type, actor, occurred_at FROM partnership_events WHERE partnership_id = $1',
      [input.partnershipId],
    );
    expect(stored.type).toBe('partnership.created');
    expect(stored.actor).toEqual({ kind: 'coordinator', email: 'ana@iurc.example' });
    expect(new Date(stored.occurred_at).toISOString()).toBe('2026-11-29T09:00:00.000Z');
  });

  it('writes nothing twice when retried, even concurrently', async () => {
    const { input, event } = fixture();
    await Promise.all([sut.recordPartnership(input, event), sut.recordPartnership(input, event)]);
    await sut.recordPartnership(input, event);
    expect(await countsFor(input)).toEqual(RECORDED_ONCE);
  });

  it('writes nothing when a statement fails half-way (one transaction)', async () => {
    const { input, event } = fixture();
    const broken = {
      ...input,
      organisations: [...input.organisations, { ...input.organisations[1], id: 'not-a-uuid' }],
    };
    await expect(sut.recordPartnership(broken, event)).rejects.toThrow();
    expect(await countsFor(input)).toEqual({
      partnerships: 0,
      events: 0,
      links: 0,
      organisations: 0,
      contacts: 0,
    });
  });

  it('projects a batch once, and never lets an older snapshot overwrite a newer one', async () => {
    const { input, event } = fixture();
    const template = [
      {
        key: 'meeting',
        stage: 'introduction' as const,
        title: 'Meet',
        required: true,
        kind: 'task' as const,
      },
    ];
    await sut.recordPartnership(
      { ...input, template: { key: 'default', version: 1, tasks: template } },
      event,
    );
    const task = { ...tasksFromTemplate(template)[0] };
    const done = { ...task, status: 'done' as const, completedAt: '2026-11-29T10:00:00.000Z' };
    const ev = (sequence: number, type: TimelineEvent['type']): TimelineEvent => ({
      sequence,
      type,
      actor: { kind: 'coordinator' },
      occurredAt: '2026-11-29T10:00:00.000Z',
      payload: {},
    });
    const newer = {
      partnershipId: input.partnershipId,
      stage: 'area_exploration' as const,
      status: 'active' as const,
      sequence: 3,
      occurredAt: '2026-11-29T10:00:00.000Z',
      tasks: [done],
    };
    const older = { ...newer, stage: 'introduction' as const, sequence: 2, tasks: [done] };
    await sut.projectChanges(newer, [ev(2, 'task.completed'), ev(3, 'stage.advanced')]);
    await sut.projectChanges(newer, [ev(2, 'task.completed'), ev(3, 'stage.advanced')]); // a retry
    await sut.projectChanges({ ...older, tasks: [task] }, [ev(2, 'task.completed')]); // late and stale
    const [row] = await dataSource.query(
      'SELECT stage, last_sequence FROM partnerships WHERE id = $1',
      [input.partnershipId],
    );
    expect(row).toEqual({ stage: 'area_exploration', last_sequence: 3 });
    const tasks = await dataSource.query(
      'SELECT id, status, updated_sequence FROM partnership_tasks WHERE partnership_id = $1',
      [input.partnershipId],
    );
    expect(tasks).toEqual([{ id: 'introduction.meeting', status: 'done', updated_sequence: 3 }]);
    const events = await dataSource.query(
      'SELECT sequence, type FROM partnership_events WHERE partnership_id = $1 ORDER BY sequence',
      [input.partnershipId],
    );
    expect(events).toEqual([
      { sequence: 1, type: 'partnership.created' },
      { sequence: 2, type: 'task.completed' },
      { sequence: 3, type: 'stage.advanced' },
    ]);
  });
});
