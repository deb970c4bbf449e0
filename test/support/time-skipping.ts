import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
// The environment lives with the installer, so the history recorder uses it too.
import { createTimeSkippingEnv } from '../../scripts/lib/time-skipping';
import { bundleWorkflows } from './workers';

/** A time-skipping environment and all the workflows bundled for its workers, made side by side. */
export async function createTimeSkippingEnvAndBundle(): Promise<
  [TestWorkflowEnvironment, WorkflowBundleWithSourceMap]
> {
  // Both settle before this returns or throws: a bundling still running after its test file has
  // ended would load modules into a torn-down jest environment and break the next file's.
  const [env, bundle] = await Promise.allSettled([createTimeSkippingEnv(), bundleWorkflows()]);
  if (env.status === 'fulfilled' && bundle.status === 'fulfilled') return [env.value, bundle.value];
  if (env.status === 'fulfilled') await env.value.teardown();
  throw env.status === 'rejected' ? env.reason : (bundle as PromiseRejectedResult).reason;
}

export interface TimeSkipping {
  /** The block's time-skipping environment (inside a test). */
  env(): TestWorkflowEnvironment;
  /** All the workflows, bundled for the environment's workers (inside a test). */
  bundle(): WorkflowBundleWithSourceMap;
}

/**
 * Registers the hooks of a time-skipping spec: the environment starts and the workflows are
 * bundled before the block's tests; the environment is torn down after them.
 */
export function useTimeSkipping(): TimeSkipping {
  let made: [TestWorkflowEnvironment, WorkflowBundleWithSourceMap] | undefined;
  beforeAll(async () => {
    made = await createTimeSkippingEnvAndBundle();
  });
  afterAll(async () => {
    await made?.[0].teardown();
  });
  const ready = (): [TestWorkflowEnvironment, WorkflowBundleWithSourceMap] => {
    if (!made) throw new Error('the time-skipping environment is not started yet');
    return made;
  };
  return { env: () => ready()[0], bundle: () => ready()[1] };
}
