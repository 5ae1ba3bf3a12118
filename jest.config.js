const { availableParallelism } = require('node:os');

/** @type {import('jest').Config} */
module.exports = {
  // Jest's default (cores − 1) is one worker on a 2-core machine; the suite mostly waits on its servers
  // (emulator, stand-in, app processes, Redis, PostgreSQL), so two halve its time there.
  maxWorkers: Math.max(2, availableParallelism() - 1),
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
