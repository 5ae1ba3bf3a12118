/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['ts-jest', {}] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // A Node 22 binary with its bundled npm lives there (npm run runtime:node22); none of it is ours.
  modulePathIgnorePatterns: ['<rootDir>/.cache/'],
  // Type errors are caught once by `npm run typecheck`; ts-jest only transpiles here.
  testTimeout: 20000,
  // Every app log line of the run is collected and, at the end, checked for test secrets (test/support/log-sink.ts).
  globalSetup: '<rootDir>/test/support/log-sink-setup.ts',
  globalTeardown: '<rootDir>/test/support/log-sink-teardown.ts',
};
