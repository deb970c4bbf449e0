// The environment lives with the installer, so the history recorder uses it too.
export { createTimeSkippingEnv } from '../../scripts/lib/time-skipping';
