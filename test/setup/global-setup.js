// Plain JS on purpose: it loads the compiled stack from dist/ (npm test builds first), so the
// services start under Node's own module loader rather than jest's.
const { startTestStack } = require('../../dist/scripts/lib/test-stack');

module.exports = async function globalSetup() {
  globalThis.__ENTENTE_STACK__ = await startTestStack();
};
