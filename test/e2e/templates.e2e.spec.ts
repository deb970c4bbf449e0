import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { foundingCaseRequest } from '../support/fixtures';
import { approvalEmail, requestApproval } from '../support/consent';
import { approvalToken } from '../support/mailpit';
import { http, login, RunningApi, waitFor } from '../support/stack';
import { usePlatform } from '../support/use-platform';

/**
 * Template versions end to end, everything real: an admin publishes a new version of the template
 * new partnerships start with; a partnership created after takes it, one created before keeps
 * its own, and the diff between the two says what moving would change. The API starts
 * partnerships with a template key of this file's own (`PARTNERSHIP_TEMPLATE_KEY`), so other
 * tests' partnerships keep default version 2.
 */
const KEY = `e2e_${randomUUID().slice(0, 8)}`;

describe('template versions (end to end)', () => {
  let api: RunningApi;
  let pool: Pool;

  usePlatform((platform) => ({ api, pool } = platform), { PARTNERSHIP_TEMPLATE_KEY: KEY });

  const v1 = (path: string): string => `${api.url}/api/v1${path}`;
  const version = (n: number, suffix = ''): string =>
    v1(`/templates/${KEY}/versions/${n}${suffix}`);
  const taskIds = (detail: Record<string, any>, stage: string): string[] =>
    (detail.tasksByStage[stage] as { id: string }[]).map((t) => t.id);

  /** The template's rows, as a refused call must leave them. */
  async function rowsOfKey(): Promise<unknown> {
    const [headers, tasks, gates] = await Promise.all(
      ['stage_templates', 'stage_template_tasks', 'stage_template_gates'].map((table) =>
        pool.query(`SELECT * FROM ${table} WHERE template_key = $1 ORDER BY 1, 2, 3`, [KEY]),
      ),
    );
    return { headers: headers.rows, tasks: tasks.rows, gates: gates.rows };
  }

  it('publishes a new version that new partnerships take while an old one keeps its own, and the diff shows the change', async () => {
    // Version 1: a copy of default version 2, published as it is (it is complete).
    const first = await http('POST', v1(`/templates/${KEY}/versions`), {
      copyFrom: { key: 'default', version: 2 },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ key: KEY, version: 1, status: 'draft', problems: [] });
    const published1 = await http('POST', version(1, '/publish'));
    expect(published1.status).toBe(200);
    expect(published1.body).toMatchObject({ status: 'published', current: true });
    expect(published1.body.publishedAt).toEqual(expect.any(String));

    const before = await http('POST', v1('/partnerships'), foundingCaseRequest());
    expect(before.status).toBe(201);
    expect(before.body).toMatchObject({ templateKey: KEY, templateVersion: 1 });
    expect(taskIds(before.body, 'introduction')).toContain('introduction.ongoing_projects');

    // Version 2, a draft copied from version 1; one draft at a time.
    expect(
      (await http('POST', v1(`/templates/${KEY}/versions`), { copyFrom: { version: 1 } })).status,
    ).toBe(201);
    const second = await http('POST', v1(`/templates/${KEY}/versions`), {});
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'TEMPLATE_DRAFT_EXISTS', version: 2 });

    // The admin adds a site visit (es only so far), drops a task and asks for consent in
    // knowledge sharing.
    const draft = (await http('GET', version(2))).body;
    const stages = draft.stages as Record<string, any>[];
    const introduction = stages.find((s) => s.stage === 'introduction')!;
    introduction.tasks = [
      ...introduction.tasks.filter((t: { key: string }) => t.key !== 'ongoing_projects'),
      {
        key: 'site_visit',
        kind: 'task',
        required: true,
        dueOffsetDays: 10,
        titles: { en: 'Visit each other’s sites', es: 'Visitar las instalaciones de cada socio' },
      },
    ];
    stages.find((s) => s.stage === 'knowledge_sharing')!.gate = {
      consent: 'partners',
      organisationRule: 'all',
    };
    const edited = await http('PUT', version(2), { stages });
    expect(edited.status).toBe(200);
    expect(edited.body.problems).toEqual([
      expect.objectContaining({
        code: 'title_missing',
        stage: 'introduction',
        taskKey: 'site_visit',
        language: 'zh',
      }),
    ]);

    // What even a draft may not have is refused, naming the field, and changes nothing.
    const saved = await rowsOfKey();
    const twice = structuredClone(stages);
    twice[0].tasks.push({ ...twice[0].tasks[0], required: false });
    const refused = await http('PUT', version(2), { stages: twice });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect(refused.body.errors).toEqual([
      {
        field: `stages[0].tasks[${twice[0].tasks.length - 1}].key`,
        messages: [expect.any(String)],
      },
    ]);
    // Publishing without the Chinese title is refused with the problem listed.
    const incomplete = await http('POST', version(2, '/publish'));
    expect(incomplete.status).toBe(409);
    expect(incomplete.headers.get('content-type')).toContain('application/problem+json');
    expect(incomplete.body.code).toBe('TEMPLATE_INVALID');
    expect(incomplete.body.problems).toEqual([
      expect.objectContaining({ code: 'title_missing', field: 'stages[0].tasks[2].titles.zh' }),
    ]);
    expect(await rowsOfKey()).toEqual(saved);

    introduction.tasks[2].titles.zh = '互访对方机构';
    expect((await http('PUT', version(2), { stages })).status).toBe(200);
    // A coordinator may read templates but not publish them.
    const coordinator = await coordinatorToken();
    const notAdmin = await http(
      'POST',
      version(2, '/publish'),
      undefined,
      {},
      { token: coordinator },
    );
    expect(notAdmin.status).toBe(403);
    expect((await http('GET', version(2), undefined, {}, { token: coordinator })).status).toBe(200);
    const published2 = await http('POST', version(2, '/publish'));
    expect(published2.status).toBe(200);
    expect(published2.body).toMatchObject({ version: 2, status: 'published', current: true });

    // A published version never changes, and is not published twice.
    const again = await http('POST', version(2, '/publish'));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TEMPLATE_PUBLISHED');
    const change = await http('PUT', version(2), { stages });
    expect(change.status).toBe(409);
    expect(change.body.code).toBe('TEMPLATE_PUBLISHED');
    const list = (await http('GET', v1('/templates'))).body;
    expect(list.newPartnershipsKey).toBe(KEY);
    expect(
      (list.items as Record<string, any>[])
        .filter((i) => i.key === KEY)
        .map((i) => [i.version, i.status, i.current]),
    ).toEqual([
      [1, 'published', false],
      [2, 'published', true],
    ]);

    // A partnership created now takes version 2; the one created before keeps version 1.
    const request = foundingCaseRequest();
    const after = await http('POST', v1('/partnerships'), request);
    expect(after.status).toBe(201);
    expect(after.body).toMatchObject({ templateKey: KEY, templateVersion: 2 });
    expect(taskIds(after.body, 'introduction')).toEqual([
      'introduction.introductory_meeting',
      'introduction.organisation_profiles',
      'introduction.site_visit',
    ]);
    const kept = (await http('GET', v1(`/partnerships/${before.body.id}`))).body;
    expect(kept.templateVersion).toBe(1);
    expect(taskIds(kept, 'introduction')).toEqual([
      'introduction.introductory_meeting',
      'introduction.organisation_profiles',
      'introduction.ongoing_projects',
    ]);
    // The page shows the new task's title in each language.
    const visit = (after.body.tasksByStage.introduction as Record<string, any>[])[2];
    expect(visit.titles).toEqual({
      en: 'Visit each other’s sites',
      es: 'Visitar las instalaciones de cada socio',
      zh: '互访对方机构',
    });

    // Its due offset (10 working days) is a due date from the day the partnership started: the
    // coordinator works in UTC (the default policy), Monday to Friday, with no calendar.
    const startedOn = (
      (await http('GET', v1(`/partnerships/${after.body.id}/timeline?pageSize=1`))).body
        .items as Record<string, any>[]
    )[0].occurredAt as string;
    const expectedDue = tenWeekdaysAfter(startedOn);
    const dated = await waitFor(
      async () => {
        const detail = (await http('GET', v1(`/partnerships/${after.body.id}`))).body;
        const task = (detail.tasksByStage.introduction as Record<string, any>[])[2];
        return task.dueDate ? task : undefined;
      },
      { what: 'the site visit’s due date' },
    );
    expect(dated.dueDate).toBe(expectedDue);
    const dueEvents = (
      (await http('GET', v1(`/partnerships/${after.body.id}/timeline?pageSize=100`))).body
        .items as Record<string, any>[]
    ).filter((e) => e.type === 'task.due_date_set');
    expect(dueEvents).toEqual([
      expect.objectContaining({
        actor: { kind: 'system' },
        payload: { taskId: 'introduction.site_visit', dueDate: expectedDue },
      }),
    ]);

    // What moving the old partnership to version 2 would change.
    const diff = await http('GET', v1(`/templates/${KEY}/diff?from=1&to=2`));
    expect(diff.status).toBe(200);
    expect(
      (diff.body.stages as Record<string, any>[]).map((s) => ({
        stage: s.stage,
        added: s.added.map((t: { key: string }) => t.key),
        removed: s.removed.map((t: { key: string }) => t.key),
        changed: s.changed.map((t: { key: string }) => t.key),
        gate: s.gate,
      })),
    ).toEqual([
      {
        stage: 'introduction',
        added: ['site_visit'],
        removed: ['ongoing_projects'],
        changed: [],
        gate: undefined,
      },
      {
        stage: 'knowledge_sharing',
        added: [],
        removed: [],
        changed: [],
        gate: {
          from: { consent: 'none' },
          to: { consent: 'partners', organisationRule: 'all' },
        },
      },
    ]);
    expect((await http('GET', v1(`/templates/${KEY}/diff?from=1&to=9`))).status).toBe(404);
    expect((await http('GET', v1(`/templates/${KEY}/diff?from=one&to=2`))).status).toBe(400);

    // The new task's title reaches each partner in their own language: the approval e-mail and
    // the approval page.
    const approvalId = await requestApproval(api.url, after.body.id, {
      kind: 'task',
      taskId: 'introduction.site_visit',
    });
    const zh = request.organisations[1].contacts[0].email as string;
    const es = request.organisations[0].contacts[0].email as string;
    const toZh = await approvalEmail(zh, approvalId);
    expect(toZh.Subject).toContain('互访对方机构');
    const toEs = await approvalEmail(es, approvalId);
    expect(toEs.Subject).toContain('Visitar las instalaciones de cada socio');
    const page = await fetch(`${api.url}/a/${approvalToken(toZh)}`);
    expect(await page.text()).toContain('互访对方机构');

    await movesTheOldPartnership(before.body.id as string);
  });

  /**
   * The coordinator moves the partnership that kept version 1 to version 2, having seen the
   * diff: its done task stays done, the dropped open one goes with the request about it, the new
   * one arrives with its titles, one timeline event names it all; illegal moves change nothing.
   */
  async function movesTheOldPartnership(id: string): Promise<void> {
    const move = (body: unknown) => http('POST', v1(`/partnerships/${id}/template`), body);
    const done = await http(
      'POST',
      v1(`/partnerships/${id}/tasks/introduction.introductory_meeting/complete`),
      {},
    );
    expect(done.status).toBe(200);
    const asked = await requestApproval(api.url, id, {
      kind: 'task',
      taskId: 'introduction.ongoing_projects',
    });
    // A draft version 3 exists, to be refused.
    expect(
      (await http('POST', v1(`/templates/${KEY}/versions`), { copyFrom: { version: 2 } })).status,
    ).toBe(201);
    const untouched = await readModel(id);
    for (const [body, status, code] of [
      [{ version: 1 }, 409, 'TEMPLATE_NOT_NEWER'],
      [{ version: 3 }, 409, 'TEMPLATE_NOT_PUBLISHED'],
      [{ version: 9 }, 404, 'TEMPLATE_NOT_FOUND'],
      [{ version: 'two' }, 400, 'VALIDATION_FAILED'],
      [{}, 400, 'VALIDATION_FAILED'],
    ] as const) {
      const refused = await move(body);
      expect({ body, status: refused.status, code: refused.body.code }).toEqual({
        body,
        status,
        code,
      });
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(await readModel(id)).toEqual(untouched);

    const moved = await move({ version: 2, comment: 'Site visits are part of the programme now' });
    expect(moved.status).toBe(200);
    expect(moved.body.templateVersion).toBe(2);
    const introduction = moved.body.tasksByStage.introduction as Record<string, any>[];
    expect(introduction.map((t) => [t.id, t.status])).toEqual([
      ['introduction.introductory_meeting', 'done'],
      ['introduction.organisation_profiles', 'open'],
      ['introduction.site_visit', 'open'],
    ]);
    expect(introduction[2].titles).toMatchObject({ es: 'Visitar las instalaciones de cada socio' });
    // The new task of the current stage is due 10 working days after the stage was entered.
    const enteredOn = (
      (await http('GET', v1(`/partnerships/${id}/timeline?pageSize=1`))).body.items as Record<
        string,
        any
      >[]
    )[0].occurredAt as string;
    expect(introduction[2].dueDate).toBe(tenWeekdaysAfter(enteredOn));
    expect((await http('GET', v1(`/approvals/${asked}`))).body.status).toBe('withdrawn');
    const events = (
      (await http('GET', v1(`/partnerships/${id}/timeline?pageSize=100`))).body.items as Record<
        string,
        any
      >[]
    ).filter((e) => e.type === 'partnership.template_changed');
    expect(events).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ kind: 'user', email: 'admin@entente.test' }),
        payload: {
          templateKey: KEY,
          from: 1,
          to: 2,
          added: ['introduction.site_visit'],
          removed: ['introduction.ongoing_projects'],
          changed: [],
          skipped: [],
          comment: 'Site visits are part of the programme now',
        },
      }),
    ]);
    // The read model has the version, and no row of the task that went.
    const row = await pool.query(
      `SELECT template_version, (SELECT count(*)::int FROM partnership_tasks
                                  WHERE partnership_id = $1 AND id = 'introduction.ongoing_projects') AS gone
         FROM partnerships WHERE id = $1`,
      [id],
    );
    expect(row.rows[0]).toEqual({ template_version: 2, gone: 0 });
    // Sent again (a retry), it is refused: the partnership keeps version 2 once.
    const again = await move({ version: 2 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('TEMPLATE_NOT_NEWER');
  }

  async function readModel(id: string): Promise<unknown> {
    const [row, tasks, approvals, events] = await Promise.all([
      pool.query('SELECT template_version, last_sequence FROM partnerships WHERE id = $1', [id]),
      pool.query(
        'SELECT id, status, title FROM partnership_tasks WHERE partnership_id = $1 ORDER BY position',
        [id],
      ),
      pool.query('SELECT id, status FROM approval_requests WHERE partnership_id = $1', [id]),
      pool.query('SELECT count(*)::int AS n FROM partnership_events WHERE partnership_id = $1', [
        id,
      ]),
    ]);
    return { row: row.rows, tasks: tasks.rows, approvals: approvals.rows, events: events.rows };
  }

  async function coordinatorToken(): Promise<string> {
    const email = `templates-${randomUUID().slice(0, 8)}@example.test`;
    const password = `pw-${randomUUID()}`;
    const created = await http('POST', v1('/users'), {
      email,
      name: 'Template reader',
      role: 'coordinator',
      password,
    });
    expect(created.status).toBe(201);
    const session = await login(api.url, email, password);
    expect(session.status).toBe(200);
    return session.body.accessToken as string;
  }
});

/** The calendar date ten Mondays-to-Fridays after the UTC date of `instant`. */
function tenWeekdaysAfter(instant: string): string {
  const day = new Date(`${instant.slice(0, 10)}T12:00:00Z`);
  for (let left = 10; left > 0;) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) left -= 1;
  }
  return day.toISOString().slice(0, 10);
}
