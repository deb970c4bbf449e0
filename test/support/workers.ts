import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { PartnershipActivities } from '@workflows/partnership/partnership.activities.contract';
import { requireEnv, testClient } from './stack';

/**
 * The workflows for a test worker (by default all of them, `workflows/index.ts`), bundled without
 * the bundler's progress lines; its errors still print.
 */
export function bundleWorkflows(
  workflowsPath = require.resolve('../../workflows'),
): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath,
    logger: { log() {}, info() {}, debug() {}, trace() {}, warn() {}, error: console.error },
  });
}

/**
 * Runs `fn` while a worker on the dev server, with this bundle and these (mocked) activities,
 * polls a fresh task queue.
 */
export async function withWorker(
  bundle: WorkflowBundleWithSourceMap,
  activities: object,
  fn: (taskQueue: string) => Promise<void>,
): Promise<void> {
  const connection = await NativeConnection.connect({
    address: requireEnv('TEST_TEMPORAL_ADDRESS'),
  });
  const taskQueue = `test-${randomUUID()}`;
  try {
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle: bundle,
      activities,
    });
    await worker.runUntil(fn(taskQueue));
  } finally {
    await connection.close();
  }
}

export interface DevServerWorkflows {
  /** The dev server's client (inside a test). */
  client(): Client;
  /** withWorker() over the block's bundle: `fn` runs while a worker polls a fresh task queue. */
  withWorker(activities: object, fn: (taskQueue: string) => Promise<void>): Promise<void>;
}

/**
 * Registers the hooks of a workflow spec on the dev server: before the block's tests a client
 * connects and the workflows (by default all of them) are bundled; after them the client closes.
 */
export function useDevServerWorkflows(workflowsPath?: string): DevServerWorkflows {
  let client: Client | undefined;
  let bundle: WorkflowBundleWithSourceMap | undefined;
  beforeAll(async () => {
    client = await testClient();
    bundle = await bundleWorkflows(workflowsPath);
  });
  afterAll(async () => {
    await client?.connection.close();
  });
  return {
    client() {
      if (!client) throw new Error('the client is not connected yet (use it inside a test)');
      return client;
    },
    withWorker(activities, fn) {
      if (!bundle) throw new Error('the workflows are not bundled yet (use them inside a test)');
      return withWorker(bundle, activities, fn);
    },
  };
}

/**
 * The partnership workflow's activities as a workflow spec mocks them: each does nothing (every
 * e-mail sent) but those `overrides` replaces. Typed by the contract, so an activity the workflow
 * gains gets a stub here, and no spec's workflow waits forever on one it lacks.
 */
export function partnershipActivities(
  overrides: Partial<PartnershipActivities> = {},
): PartnershipActivities {
  return {
    async recordPartnership() {},
    async projectChanges() {},
    async sendApprovalEmails() {},
    async sendApprovalEmail() {
      return { sent: true };
    },
    async sendFollowUpEmail() {
      return { sent: true };
    },
    async sendKnowledgeRequestEmail() {
      return { sent: true };
    },
    ...overrides,
  };
}
