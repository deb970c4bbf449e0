import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/partnership/partnership.contract';

/**
 * A time-skipping Temporal environment on the Java test server that the jest global setup
 * installed from Maven (scripts/lib/time-skipping.ts), with our search attributes registered.
 * One per suite, and tests in it run one after another: skipped time is global to the server.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const path = process.env.TEST_TIME_SKIPPING_SERVER;
  if (!path) {
    const why = process.env.TEST_TIME_SKIPPING_SERVER_ERROR;
    throw new Error(
      why
        ? `no time-skipping test server: the jest global setup could not install it: ${why}`
        : 'TEST_TIME_SKIPPING_SERVER is not set: run the tests with npm test (jest globalSetup), ' +
            'or point it at a server (node dist/scripts/lib/time-skipping.js installs one)',
    );
  }
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path } },
  });
  try {
    // The test server knows only its own Custom*Field attributes; an upsert of any other fails
    // the workflow task. It implements AddSearchAttributes (not ListSearchAttributes).
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes: Object.fromEntries(
        ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, encodeSearchAttributeIndexedValueType(k.type)!]),
      ),
    });
  } catch (err) {
    await env.teardown();
    throw err;
  }
  return env;
}
