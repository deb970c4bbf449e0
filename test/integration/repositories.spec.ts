import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  AdvisoryLockBusyError,
  ApprovalsRepository,
  createDataSource,
  InsightRepository,
  MembersRepository,
  NotificationsRepository,
  PartnershipsRepository,
  UsersRepository,
  WebhooksRepository,
  withAdvisoryLock,
} from '@libs/db';
import {
  foldInsight,
  insightAt,
  percentile,
  stageDurations,
  type ApprovalRequest,
  type InsightEvent,
  type UserRole,
} from '@libs/domain';
import { requireEnv } from '../support/stack';

/**
 * The repositories' methods that no end-to-end test reaches on every branch (a second call, a
 * refused change, another owner), against real PostgreSQL with the real migrations.
 */
describe('repositories', () => {
  let dataSource: DataSource;
  let partnerships: PartnershipsRepository;
  let users: UsersRepository;
  const userIds: string[] = [];
  const webhookIds: string[] = [];

  beforeAll(async () => {
    dataSource = createDataSource(requireEnv('TEST_DATABASE_URL'));
    await dataSource.initialize();
    partnerships = new PartnershipsRepository(dataSource);
    users = new UsersRepository(dataSource);
  });

  afterAll(async () => {
    // Accounts and webhooks outlive a test file: leave none for later end-to-end tests to see.
    if (dataSource?.isInitialized) {
      await dataSource.query('DELETE FROM partnership_members WHERE user_id = ANY($1)', [userIds]);
      await dataSource.query('DELETE FROM users WHERE id = ANY($1)', [userIds]);
      await dataSource.query('DELETE FROM webhooks WHERE id = ANY($1)', [webhookIds]);
    }
    await dataSource?.destroy();
  });

  async function partnership(sequence = 1): Promise<string> {
    const id = randomUUID();
    await partnerships.insertRecorded(dataSource, {
      id,
      title: `Repository partnership ${id}`,
      coordinatorName: 'Ana',
      coordinatorEmail: 'ana@iurc.example',
      areas: [],
      workflowId: `partnership-${id}`,
      sequence,
      templateKey: 'default',
      templateVersion: 1,
      occurredAt: '2026-11-29T09:00:00.000Z',
      followUpPolicy: null,
      contactIds: [],
    });
    return id;
  }

  async function user(role: UserRole = 'coordinator'): Promise<string> {
    const id = randomUUID();
    userIds.push(id);
    const inserted = await users.insertUnlessTaken(dataSource, {
      id,
      email: `repo-${id}@iurc.example`,
      name: `User ${id.slice(0, 8)}`,
      role,
      passwordHash: 'not-a-real-hash',
    });
    expect(inserted).toBe(true);
    return id;
  }

  describe(PartnershipsRepository.name, () => {
    it('moves a partnership only forward, and knows no title of an unknown one', async () => {
      const id = await partnership(1);
      const snapshot = {
        partnershipId: id,
        stage: 'area_exploration' as const,
        status: 'active' as const,
        occurredAt: '2026-11-29T10:00:00.000Z',
      };
      await partnerships.applySnapshot(dataSource, { ...snapshot, sequence: 3 });
      await partnerships.applySnapshot(dataSource, {
        ...snapshot,
        stage: 'introduction',
        status: 'paused',
        sequence: 2,
      });
      const row = await partnerships.findRow(id);
      expect(row).toMatchObject({ stage: 'area_exploration', status: 'active', lastSequence: 3 });
      expect(await partnerships.titleOf(id)).toBe(`Repository partnership ${id}`);
      expect(await partnerships.titleOf(randomUUID())).toBeUndefined();
    });
  });

  describe(InsightRepository.name, () => {
    it('gives a kept fold only while its partnership is at the sequence it was read at', async () => {
      const insight = new InsightRepository(dataSource);
      const id = await partnership(1);
      const [created] = (await insight.summaries([id], 'Europe/Madrid')).map((s) => s.fold);
      expect(created).toBeNull();

      const {
        partnerships: [source],
        contactOrganisations,
      } = await insight.sources([id]);
      expect(source).toMatchObject({ id, lastSequence: 1 });
      const fold = foldInsight(source.events, { contactOrganisations, ...source });
      await insight.saveFolds([{ partnershipId: id, throughSequence: 1, fold }]);
      expect((await insight.summaries([id], 'Europe/Madrid'))[0].fold).toEqual(fold);

      // The timeline moves: the kept fold no longer counts.
      await partnerships.applySnapshot(dataSource, {
        partnershipId: id,
        stage: 'introduction',
        status: 'paused',
        sequence: 2,
        occurredAt: '2026-11-29T10:00:00.000Z',
      });
      expect((await insight.summaries([id], 'Europe/Madrid'))[0].fold).toBeNull();

      // A fold through sequence 2 is kept; a late one through 1 does not replace it.
      const paused = { ...fold, throughMs: Date.parse('2026-11-29T10:00:00.000Z') };
      await insight.saveFolds([{ partnershipId: id, throughSequence: 2, fold: paused }]);
      await insight.saveFolds([{ partnershipId: id, throughSequence: 1, fold }]);
      expect((await insight.summaries([id], 'Europe/Madrid'))[0].fold).toEqual(paused);
      expect(await insight.staleIds([id])).toEqual([]);
      // A fold kept by another version of the rules is folded again.
      await dataSource.query(
        'UPDATE partnership_insight_folds SET fold_version = fold_version - 1 WHERE partnership_id = $1',
        [id],
      );
      expect((await insight.summaries([id], 'Europe/Madrid'))[0].fold).toBeNull();
      expect(await insight.staleIds([id])).toEqual([id]);
      expect(await insight.summaries([], 'Europe/Madrid')).toEqual([]);
    });
  });

  describe(`${InsightRepository.name} figures`, () => {
    it('aggregates kept folds as the fold defines them, carried to now', async () => {
      const insight = new InsightRepository(dataSource);
      const [es, cn] = [randomUUID(), randomUUID()];
      const [ana, li] = [randomUUID(), randomUUID()];
      const context = {
        contactOrganisations: { [ana]: es, [li]: cn },
        approvals: {
          gate: [
            {
              organisationId: es,
              rule: { kind: 'any' as const },
              approvers: [{ contactId: ana, delegated: false }],
            },
            {
              organisationId: cn,
              rule: { kind: 'any' as const },
              approvers: [{ contactId: li, delegated: false }],
            },
          ],
        },
        tasks: {},
      };
      const h = (hours: number): string =>
        new Date(Date.parse('2026-11-02T09:00:00.000Z') + hours * 3_600_000).toISOString();
      const ev = (hours: number, type: string, payload = {}): InsightEvent => ({
        type,
        occurredAt: h(hours),
        payload,
      });
      // Three timelines: one waits on both partners now, one answered and moved on, one paused.
      const timelines: InsightEvent[][] = [
        [ev(0, 'partnership.created'), ev(3, 'approval.requested', { approvalId: 'gate' })],
        [
          ev(0, 'partnership.created'),
          ev(1, 'approval.requested', { approvalId: 'gate' }),
          ev(2, 'approval.decided', { approvalId: 'gate', contactId: li, outcome: 'approved' }),
          ev(6, 'approval.decided', { approvalId: 'gate', contactId: ana, outcome: 'approved' }),
          ev(6, 'approval.approved', { approvalId: 'gate' }),
          ev(7, 'stage.advanced', { to: 'area_exploration' }),
        ],
        [
          ev(0, 'partnership.created'),
          ev(5, 'stage.advanced', { to: 'area_exploration' }),
          ev(9, 'stage.sent_back', { to: 'introduction' }),
          ev(10, 'partnership.paused'),
        ],
      ];
      const folds = timelines.map((events) => ({
        partnershipId: randomUUID(),
        throughSequence: events.length,
        fold: foldInsight(events, context),
      }));
      await insight.saveFolds(folds);
      // Saved twice: the rows are rewritten, not added to.
      await insight.saveFolds(folds);
      const now = h(30);
      const figures = await insight.figures(
        folds.map((f) => f.partnershipId),
        Date.parse(now),
        'Europe/Madrid',
      );
      const insights = folds.map((f) => insightAt(f.fold, now));

      const expectedStages = stageDurations(insights).filter((x) => x.endedStays + x.openStays > 0);
      expect(
        figures.stages
          .map((x) => ({
            stage: x.stage,
            endedStays: x.ended,
            medianMs: x.median,
            p90Ms: x.p90,
            openStays: x.open,
          }))
          .sort((a, b) => a.stage.localeCompare(b.stage)),
      ).toEqual(expectedStages.sort((a, b) => a.stage.localeCompare(b.stage)));

      const answers = (org: string) =>
        insights.flatMap((i) =>
          i.turnarounds.filter((t) => t.organisationId === org).map((t) => t.ms),
        );
      expect(
        figures.turnarounds
          .map((t) => [t.organisation_id, t.answered, t.median, t.p90])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      ).toEqual(
        [es, cn]
          .map((org) => [
            org,
            answers(org).length,
            percentile(answers(org), 0.5),
            percentile(answers(org), 0.9),
          ])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );

      const sum = (f: (i: (typeof insights)[number]) => number) =>
        insights.reduce((n, i) => n + f(i), 0);
      const sides = Object.fromEntries(
        figures.sides.map((x) => [x.organisation_id ?? 'coordinator', [x.ms, x.waiting_now]]),
      );
      expect(sides).toEqual({
        coordinator: [
          sum((i) => i.waitingMs.coordinator),
          insights.filter((i) => i.waitingOn === 'coordinator').length,
        ],
        [es]: [
          sum((i) => i.waitingMs.organisations[es] ?? 0),
          insights.filter((i) => i.waitingOnOrganisationIds.includes(es)).length,
        ],
        [cn]: [
          sum((i) => i.waitingMs.organisations[cn] ?? 0),
          insights.filter((i) => i.waitingOnOrganisationIds.includes(cn)).length,
        ],
      });
      // The first waits on both partners now: the 27 hours since its last event count for each.
      expect(sides[es][1]).toBe(1);
      expect(figures.overdue).toEqual([]);
      for (const table of ['folds', 'stays', 'turnarounds', 'sides']) {
        await dataSource.query(
          `DELETE FROM partnership_insight_${table} WHERE partnership_id = ANY($1::uuid[])`,
          [folds.map((f) => f.partnershipId)],
        );
      }
    });
  });

  describe(withAdvisoryLock.name, () => {
    it('runs one holder of a key at a time; a waiter past its deadline is refused', async () => {
      const key = `test:${randomUUID()}`;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const order: string[] = [];
      const first = withAdvisoryLock(dataSource, key, 1_000, async () => {
        order.push('first in');
        await held;
        order.push('first out');
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(
        withAdvisoryLock(dataSource, key, 100, async () => 'never'),
      ).rejects.toBeInstanceOf(AdvisoryLockBusyError);
      // Another key is not held up.
      expect(await withAdvisoryLock(dataSource, `${key}:other`, 100, async () => 'other')).toBe(
        'other',
      );
      const second = withAdvisoryLock(dataSource, key, 5_000, async () => {
        order.push('second');
        return 2;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      await first;
      expect(await second).toBe(2);
      expect(order).toEqual(['first in', 'first out', 'second']);
    });
  });

  describe(ApprovalsRepository.name, () => {
    it('keeps a request at its newer sequence, and finds no partnership of an unknown one', async () => {
      const approvals = new ApprovalsRepository(dataSource);
      const partnershipId = await partnership();
      const request: ApprovalRequest = {
        id: randomUUID(),
        subject: { kind: 'gate', stage: 'introduction', title: 'Leave introduction' },
        status: 'pending',
        requestedAt: '2026-11-29T09:00:00.000Z',
        deadline: '2026-12-06T09:00:00.000Z',
        requestedBy: { name: 'Ana', email: 'ana@iurc.example' },
        organisations: [],
        closedAt: null,
      };
      await approvals.upsertFromSnapshot(dataSource, partnershipId, [request], 5);
      await approvals.upsertFromSnapshot(
        dataSource,
        partnershipId,
        [{ ...request, status: 'withdrawn', closedAt: '2026-11-30T09:00:00.000Z' }],
        4,
      );
      expect((await approvals.find(request.id))?.status).toBe('pending');
      expect(await approvals.partnershipIdOf(request.id)).toBe(partnershipId);
      expect(await approvals.partnershipIdOf(randomUUID())).toBeUndefined();
      expect(await approvals.pendingOf([partnershipId])).toEqual([
        { partnership_id: partnershipId, organisations: [] },
      ]);
    });
  });

  describe(MembersRepository.name, () => {
    it('adds the creator once, changes a role without changing who added them, removes once', async () => {
      const members = new MembersRepository(dataSource);
      const partnershipId = await partnership();
      const creator = await user();
      const observer = await user('observer');

      await members.addCreator(partnershipId, creator);
      await members.addCreator(partnershipId, creator);
      await members.set(dataSource, {
        partnershipId,
        userId: observer,
        role: 'observer',
        addedBy: creator,
      });
      await members.set(dataSource, {
        partnershipId,
        userId: observer,
        role: 'coordinator',
        addedBy: observer,
      });
      const listed = await members.list(partnershipId);
      expect(listed.map((m) => [m.user_id, m.role, m.account_role, m.added_by])).toEqual([
        [creator, 'coordinator', 'coordinator', null],
        [observer, 'coordinator', 'observer', creator],
      ]);
      expect((await members.find(partnershipId, observer))?.role).toBe('coordinator');

      expect(await members.remove(dataSource, partnershipId, observer)).toBe(true);
      expect(await members.remove(dataSource, partnershipId, observer)).toBe(false);
      expect(await members.find(partnershipId, observer)).toBeNull();
    });
  });

  describe(UsersRepository.name, () => {
    it('inserts a user once per e-mail, and answers role and status alone', async () => {
      const id = await user('observer');
      const again = await users.insertUnlessTaken(dataSource, {
        id: randomUUID(),
        email: `repo-${id}@iurc.example`,
        name: 'Someone else',
        role: 'admin',
        passwordHash: 'x',
      });
      expect(again).toBe(false);
      expect(await users.roleOf(id)).toEqual({ role: 'observer', disabled: false });
      expect(await users.roleOf(randomUUID())).toBeUndefined();
    });

    it('counts the active admins besides the one leaving', async () => {
      const [a, b] = [await user('admin'), await user('admin')];
      const m = dataSource.manager;
      const before = await users.countOtherActiveAdmins(m, a);
      expect(await users.countOtherActiveAdmins(m, b)).toBe(before);
      await users.update(m, b, { disabled: true });
      expect(await users.countOtherActiveAdmins(m, a)).toBe(before - 1);
      // Under the advisory lock, in a transaction, the count is the same.
      const locked = await dataSource.transaction(async (tx) => {
        await users.lockAdminChanges(tx);
        return users.countOtherActiveAdmins(tx, a);
      });
      expect(locked).toBe(before - 1);
    });

    it('revokes an API token only for its owner, and only once', async () => {
      const [owner, other] = [await user(), await user()];
      const id = randomUUID();
      await users.insertApiToken(dataSource.manager, {
        id,
        userId: owner,
        name: 'ci',
        tokenHash: `hash-${id}`,
        expiresAt: new Date(Date.now() + 86_400_000),
        createdAt: new Date(),
      });
      expect((await users.liveApiTokensOf(owner)).map((t) => t.id)).toEqual([id]);
      expect(await users.revokeApiToken(dataSource.manager, id, other)).toBe(false);
      expect(await users.revokeApiToken(dataSource.manager, id, owner)).toBe(true);
      expect(await users.revokeApiToken(dataSource.manager, id, owner)).toBe(false);
      expect(await users.liveApiTokensOf(owner)).toEqual([]);
    });

    it('revokes the refresh tokens of one session, or of every session of a user', async () => {
      const owner = await user();
      const m = dataSource.manager;
      const [session, other] = [randomUUID(), randomUUID()];
      const hashes = [randomUUID(), randomUUID(), randomUUID()];
      for (const [i, familyId] of [session, session, other].entries()) {
        await users.insertRefreshToken(m, {
          id: randomUUID(),
          userId: owner,
          familyId,
          tokenHash: hashes[i],
          expiresAt: new Date(Date.now() + 86_400_000),
        });
      }
      const revoked = async (): Promise<boolean[]> =>
        Promise.all(
          hashes.map(async (tokenHash) =>
            Boolean((await users.findRefreshToken(m, { tokenHash }))?.revokedAt),
          ),
        );
      await users.revokeRefreshTokens(m, { familyId: session });
      expect(await revoked()).toEqual([true, true, false]);
      expect(
        await users.findRefreshToken(m, { tokenHash: hashes[2], userId: randomUUID() }),
      ).toBeNull();
      await users.revokeRefreshTokens(m, { userId: owner });
      expect(await revoked()).toEqual([true, true, true]);
    });
  });

  describe(NotificationsRepository.name, () => {
    const to = 'ana@iurc.example';

    it('leases a key to one attempt at a time; another claimant does not get it', async () => {
      const notifications = new NotificationsRepository(dataSource);
      const key = `repository-test/${randomUUID()}`;
      const partnershipId = randomUUID();
      const [first, second] = [randomUUID(), randomUUID()];
      expect(await notifications.claimEmail(key, partnershipId, to, first, 60_000)).toEqual({
        outcome: 'claimed',
        attempts: 1,
      });
      // A retry beside a slow first attempt: the lease is live, so it must not send.
      expect(await notifications.claimEmail(key, partnershipId, to, second, 60_000)).toMatchObject({
        outcome: 'held',
      });
      expect(await notifications.renewLease(key, second, 60_000)).toBe(false);
      expect(await notifications.renewLease(key, first, 60_000)).toBe(true);

      // Many claimants at once on a new key: exactly one wins.
      const fresh = `repository-test/${randomUUID()}`;
      const claims = await Promise.all(
        Array.from({ length: 8 }, () =>
          notifications.claimEmail(fresh, partnershipId, to, randomUUID(), 60_000),
        ),
      );
      expect(claims.filter((c) => c.outcome === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.outcome === 'held')).toHaveLength(7);
    });

    it('lets an expired lease be taken over, and the old holder loses it', async () => {
      const notifications = new NotificationsRepository(dataSource);
      const key = `repository-test/${randomUUID()}`;
      const partnershipId = randomUUID();
      const [dead, next] = [randomUUID(), randomUUID()];
      // An attempt whose worker died: its lease ran out (0 ms) and nobody renews it.
      await notifications.claimEmail(key, partnershipId, to, dead, 0);
      expect(await notifications.claimEmail(key, partnershipId, to, next, 60_000)).toEqual({
        outcome: 'claimed',
        attempts: 2,
      });
      expect(await notifications.renewLease(key, dead, 60_000)).toBe(false);
    });

    it('keeps sent and failed final', async () => {
      const notifications = new NotificationsRepository(dataSource);
      const partnershipId = randomUUID();
      const sent = `repository-test/${randomUUID()}`;
      const claimId = randomUUID();
      await notifications.claimEmail(sent, partnershipId, to, claimId, 0);
      await notifications.markSent(sent, '<m1@entente>');
      // Even with its lease long gone, a sent key is never claimed again.
      expect(await notifications.claimEmail(sent, partnershipId, to, randomUUID(), 0)).toEqual({
        outcome: 'sent',
      });
      await notifications.markFailed(sent, claimId, 'late refusal');
      expect(await notifications.renewLease(sent, claimId, 60_000)).toBe(false);
      expect(await notifications.claimEmail(sent, partnershipId, to, randomUUID(), 0)).toEqual({
        outcome: 'sent',
      });

      const refused = `repository-test/${randomUUID()}`;
      const refusedClaim = randomUUID();
      await notifications.claimEmail(refused, partnershipId, to, refusedClaim, 60_000);
      await notifications.markFailed(refused, refusedClaim, 'SMTP server refused (550)');
      expect(await notifications.claimEmail(refused, partnershipId, to, randomUUID(), 0)).toEqual({
        outcome: 'failed',
        error: 'SMTP server refused (550)',
      });
    });
  });

  describe(WebhooksRepository.name, () => {
    it('never marks a delivered delivery failed, and knows nothing of an unknown one', async () => {
      const webhooks = new WebhooksRepository(dataSource);
      const webhookId = randomUUID();
      webhookIds.push(webhookId);
      expect(
        await webhooks.insert(dataSource, {
          id: webhookId,
          url: 'http://127.0.0.1:9/hook',
          secret: 'integration-secret-0123',
          eventTypes: ['*'],
          partnershipIds: null,
          description: null,
          requestHash: null,
          createdBy: null,
        }),
      ).toBe(true);
      const partnershipId = randomUUID();
      const deliveryId = randomUUID();
      await webhooks.insertDeliveries(dataSource, partnershipId, [
        {
          id: deliveryId,
          webhook_id: webhookId,
          event_sequence: 1,
          event_type: 'partnership.created',
          payload: { id: deliveryId },
        },
      ]);
      expect(await webhooks.pendingDeliveryIds(partnershipId, [1])).toEqual([deliveryId]);
      await webhooks.recordAttempt({
        deliveryId,
        attemptedAt: new Date(),
        statusCode: 204,
        error: null,
        durationMs: 3,
      });
      expect(await webhooks.pendingDeliveryIds(partnershipId, [1])).toEqual([]);
      expect(await webhooks.markFailed(deliveryId)).toBeUndefined();
      expect((await webhooks.deliveryToSend(deliveryId))?.status).toBe('delivered');
      expect(await webhooks.markFailed(randomUUID())).toBeUndefined();
      expect(await webhooks.deliveryToSend(randomUUID())).toBeUndefined();
    });
  });
});
