import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
// The environment lives with the installer, so the history recorder uses it too.
import { createTimeSkippingEnv } from '../../scripts/lib/time-skipping';
import { bundleWorkflows } from './workers';

/** A time-skipping environment and all the workflows bundled for its workers, made side by side. */
export function createTimeSkippingEnvAndBundle(): Promise<
  [TestWorkflowEnvironment, WorkflowBundleWithSourceMap]
> {
  return Promise.all([createTimeSkippingEnv(), bundleWorkflows()]);
}
