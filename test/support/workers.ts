import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { requireEnv } from './stack';

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
