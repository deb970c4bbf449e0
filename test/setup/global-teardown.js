module.exports = async function globalTeardown() {
  await globalThis.__ENTENTE_STACK__?.stop();
};
