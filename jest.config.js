/** Jest in native ESM mode: run through `npm test` (it sets --experimental-vm-modules). */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  resolver: 'ts-jest-resolver',
  roots: ['<rootDir>/__tests__'],
  // Finds or installs the Node 24 binary the end-to-end tests run the built action on.
  globalSetup: '<rootDir>/script/node24.mjs',
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '__tests__/tsconfig.json' }]
  },
  clearMocks: true,
  testTimeout: 30000,
  collectCoverageFrom: ['src/**/*.ts']
}
