/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['ts-jest', {}] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Type errors are caught once by `npm run typecheck`; ts-jest only transpiles here.
  testTimeout: 20000,
};
