import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Prebuilds the workflow bundle the worker loads in production (dist/workflow-bundle.js). */
async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    logger: {
      log: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      trace: () => undefined,
      warn: console.warn,
      error: console.error,
    },
  });
  const out = join(__dirname, '..', 'workflow-bundle.js');
  writeFileSync(out, code);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
