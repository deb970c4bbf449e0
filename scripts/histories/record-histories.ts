import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PartnershipActivities } from '../../workflows/partnership/partnership.activities.contract';
import {
  awaitRecordedUpdate,
  PartnershipWorkflowInput,
} from '../../workflows/partnership/partnership.contract';
import { startTestStack } from '../lib/test-stack';

const OUT = join(__dirname, '..', '..', '..', 'test', 'histories');

/**
 * `npm run histories:record`: runs each scenario on a throw-away dev server with the current
 * workflow code and saves its history to test/histories/. The replay test runs these histories
 * through the workflow code of every later commit, so a non-deterministic change fails CI.
 * Record again only for a new scenario; never re-record to make a replay failure go away.
 */
type Scenario = (client: Client, taskQueue: string) => Promise<WorkflowHandle>;

const fixedIds = {
  partnership: '6f1d2c3b-0000-4000-8000-000000000001',
  orgEs: '6f1d2c3b-0000-4000-8000-0000000000e5',
  orgCn: '6f1d2c3b-0000-4000-8000-0000000000c4',
};

function input(partnershipId: string): PartnershipWorkflowInput {
  return {
    partnershipId,
    title: 'Valencia – Chengdu: clean-energy entrepreneurship',
    areas: ['Clean energy entrepreneurship', 'Internationalisation', 'Events and training'],
    coordinator: { name: 'Ana', email: 'ana@iurc.example' },
    organisations: [
      {
        id: fixedIds.orgEs,
        isNew: true,
        name: 'IVACE',
        region: 'Valencian Community',
        country: 'ES',
        kind: 'agency',
        contacts: [],
      },
      {
        id: fixedIds.orgCn,
        isNew: true,
        name: 'EIRI',
        region: 'Sichuan',
        country: 'CN',
        kind: 'institute',
        contacts: [],
      },
    ],
    requestHash: 'recorded-hash',
    requestedAt: '2026-11-29T09:00:00.000Z',
    actor: { kind: 'coordinator', email: 'ana@iurc.example' },
  };
}

export const scenarios: Record<string, Scenario> = {
  /** Created, recorded, the create endpoint's update answered, then a rejected reuse of the key. */
  async 'partnership-created'(client, taskQueue) {
    const handle = await client.workflow.start('partnershipWorkflow', {
      workflowId: `partnership-${fixedIds.partnership}`,
      taskQueue,
      args: [{ kind: 'new', input: input(fixedIds.partnership) }],
    });
    await handle.executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'recorded-hash' }] });
    await handle
      .executeUpdate(awaitRecordedUpdate, { args: [{ requestHash: 'other' }] })
      .catch(() => undefined);
    return handle;
  },
};

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const stack = await startTestStack({ postgres: false });
  const address = process.env.TEST_TEMPORAL_ADDRESS!;
  const client = new Client({ connection: await Connection.connect({ address }) });
  const native = await NativeConnection.connect({ address });
  const activities: PartnershipActivities = { async recordPartnership() {} };
  mkdirSync(OUT, { recursive: true });
  try {
    for (const [name, scenario] of Object.entries(scenarios)) {
      if (only.length && !only.includes(name)) continue;
      const taskQueue = `record-${name}`;
      const worker = await Worker.create({
        connection: native,
        taskQueue,
        workflowsPath: require.resolve('../../workflows'),
        activities,
      });
      await worker.runUntil(async () => {
        const handle = await scenario(client, taskQueue);
        // The CLI's JSON is the format Temporal's tools and historyFromJSON share.
        const json = execFileSync(
          process.env.TEST_TEMPORAL_CLI!,
          [
            'workflow',
            'show',
            '--workflow-id',
            handle.workflowId,
            '--address',
            address,
            '--output',
            'json',
          ],
          { encoding: 'utf8' },
        );
        writeFileSync(join(OUT, `${name}.json`), json);
        console.log(
          `recorded ${name} (${(JSON.parse(json) as { events: unknown[] }).events.length} events)`,
        );
      });
    }
  } finally {
    await native.close();
    await client.connection.close();
    await stack.stop();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
