// Plain JS, like the global setup: it loads the compiled helpers from dist/ (npm test builds first).
const { TestEnvironment } = require('jest-environment-node');
const { killSuiteLeftovers } = require('../../dist/scripts/lib/test-stack');

/**
 * Node's environment, plus: every API and worker process a test file starts is tagged with the
 * file's path (ENTENTE_TEST_SUITE, passed on by test/support/stack.ts), and any still alive when
 * the file ends is killed, so no file's processes serve the next file's requests or workflows.
 */
class EntenteEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.suite = context.testPath;
    this.global.process.env.ENTENTE_TEST_SUITE = context.testPath;
  }

  async teardown() {
    killSuiteLeftovers(this.suite, (line) => console.log(`[test-stack] ${line}`));
    await super.teardown();
  }
}

module.exports = EntenteEnvironment;
