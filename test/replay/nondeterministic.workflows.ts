// Workflow bundle of the replay suite's negative control: the partnership workflow as it is, but
// with one command issued before any of its own (a one-millisecond timer). A replay of any saved
// history through it must fail with a determinism violation; if it did not, the replay suite
// could not catch a reordered command either.
import { sleep } from '@temporalio/workflow';
import { partnershipWorkflow as realPartnershipWorkflow } from '../../workflows/partnership/partnership.workflow';

export async function partnershipWorkflow(
  ...args: Parameters<typeof realPartnershipWorkflow>
): ReturnType<typeof realPartnershipWorkflow> {
  await sleep(1);
  return realPartnershipWorkflow(...args);
}
