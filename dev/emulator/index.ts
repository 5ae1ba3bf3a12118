/** The Viam billing emulator: a real gRPC server speaking Viam's auth and billing contract. */
export type { DemoCredentials } from './directory';
export { DEFAULT_PDF_CHUNK_BYTES, type EmulatorOptions, type RunningEmulator, startEmulator } from './emulator';
export {
  DEFAULT_FIXTURE_PATH,
  type EmulatorFixture,
  FixtureError,
  type FixtureInvoice,
  type FixtureOrg,
  type FixturePaymentMethod,
  type FixtureUsageSource,
  loadFixture,
  parseFixture,
} from './fixture';
export { type BuildFixtureOptions, buildFixture } from './fixture-builder';
export type { EmulatorKnobs } from './knobs';
export { EMULATOR_METHODS, type EmulatorMethod } from './methods';
export { billingInfoResponse, invoicesResponse, usageResponse } from './org-data';
export { type PlantedSpike, UsageTimeline, type UsageTimelineOptions } from './usage-timeline';
