/**
 * 7. Scale: N workspaces (default 100,000) on each store, two replicas of the compiled app on it.
 * Per backend: the idle scheduler tick at 10,000 and at N workspaces, 10,000 digests due in one minute
 * across the replicas (posted once each, counted at the Slack stand-in), the larger replica's peak
 * RSS, and lost updates among 1,000 concurrent access changes split across the replicas.
 * See bench/README.md for how it runs and bench/lib/scale/ for its parts.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BenchContext, Benchmark, Figure } from '../lib/benchmark';
import { buildApp } from '../lib/build';
import { forkTs } from '../lib/processes';
import { type BackendTarget, scaleBackends } from '../lib/scale/backends';
import { awaitDueDigests, scheduleDueDigests } from '../lib/scale/due-digests';
import { grantInitialViewers, runLostUpdates } from '../lib/scale/lost-updates';
import { scaleNotes } from '../lib/scale/notes';
import { CONNECTOR, dueChannel, dueMinute } from '../lib/scale/plan';
import { type Replica, startReplicas } from '../lib/scale/replicas';
import {
  type BackendName,
  type BackendResult,
  backendFigures,
  REFERENCE_WORKSPACES,
  tickSummary,
} from '../lib/scale/report';
import { initialiseStore, type SeedOutcome, seedRange } from '../lib/scale/seeding';
import { verifySeed } from '../lib/scale/verify';
import { type Credentials, FIXTURE_SEED, generatedOrgs } from '../lib/seed';
import { mib, round } from '../lib/stats';
import { type Support, startSupport } from '../lib/support';
import type { IdleTickResult, TickWorkerHandlers } from '../processes/tick-worker';

export const DEFAULT_WORKSPACES = 100_000;
const DUE_DIGESTS = 10_000;
const REPLICAS = 2;
const IDLE_TICKS = 100;
const IDLE_WARMUP = 5;
/** Time to set the due schedules and start the replicas before the due minute. */
const DUE_LEAD_MS = 75_000;
/** How long after the due minute the bench waits for the last digest. */
const DUE_TIMEOUT_MS = 5 * 60_000;
/** Further wait once every channel had its digest, for a duplicate to show up. */
const SETTLE_MS = 10_000;

async function idleTicks(target: BackendTarget, support: Support, dataDir: string): Promise<IdleTickResult> {
  const worker = await forkTs<TickWorkerHandlers, unknown>('bench/processes/tick-worker.ts', { name: 'tick worker' });
  try {
    return await worker.link.call('idleTicks', {
      storeUrl: target.storeUrl,
      dataDir,
      emulatorUrl: support.info.emulatorUrl,
      slackApiUrl: support.info.slackApiUrl,
      botToken: support.info.botToken,
      ticks: IDLE_TICKS,
      warmup: IDLE_WARMUP,
    });
  } finally {
    await worker.stop();
  }
}

function idleError(result: IdleTickResult): void {
  if (result.taken > 0) throw new Error(`${result.taken} items were due during the idle ticks; the store is not idle`);
}

async function runBackend(
  target: BackendTarget,
  workspaces: number,
  orgs: readonly Credentials[],
  support: Support,
  context: BenchContext,
): Promise<BackendResult> {
  const log = (message: string) => context.log(`${target.kind}: ${message}`);
  const dataDir = path.join(context.workDir, `scale-${target.kind}-data`);
  await mkdir(dataDir, { recursive: true });
  log(`preparing ${target.describe}`);
  await target.prepare();
  let replicas: Replica[] = [];
  try {
    await initialiseStore(target, dataDir);
    const now = new Date();
    const first = Math.min(workspaces, REFERENCE_WORKSPACES);
    const seeds: SeedOutcome[] = [];
    log(`seeding ${first.toLocaleString('en-US')} workspaces`);
    seeds.push(await seedRange({ target, from: 0, to: first, orgs, now, markers: true, log }));
    let verified = await verifySeed({ target, dataDir, workspaces: first, orgs, now });
    let reference: IdleTickResult | undefined;
    if (workspaces > first) {
      log('idle ticks at the reference size');
      reference = await idleTicks(target, support, dataDir);
      idleError(reference);
      log(`seeding ${(workspaces - first).toLocaleString('en-US')} more workspaces`);
      seeds.push(await seedRange({ target, from: first, to: workspaces, orgs, now, markers: false, log }));
      verified = await verifySeed({ target, dataDir, workspaces, orgs, now });
    }
    if (verified.dueDigests !== workspaces || verified.dueOrgChecks !== workspaces) {
      throw new Error(
        `the due index holds ${verified.dueDigests} digests and ${verified.dueOrgChecks} checks, not ${workspaces}`,
      );
    }
    log(`idle ticks at ${workspaces.toLocaleString('en-US')} workspaces`);
    const idle = await idleTicks(target, support, dataDir);
    idleError(idle);

    const due = Math.min(DUE_DIGESTS, workspaces);
    await support.link.call('resetSlack');
    const dueAt = dueMinute(new Date(), DUE_LEAD_MS);
    log(`scheduling ${due.toLocaleString('en-US')} digests for ${dueAt.toISOString()}`);
    const scheduleMs = await scheduleDueDigests({ storeUrl: target.storeUrl, dataDir, count: due, dueAt });
    await grantInitialViewers(target.storeUrl, dataDir, workspaces);
    log('starting two replicas');
    replicas = await startReplicas({
      count: REPLICAS,
      storeUrl: target.storeUrl,
      info: support.info,
      workDir: dataDir,
    });
    const leadMs = dueAt.getTime() - Date.now();
    if (leadMs < 1_000)
      throw new Error(`setting up took too long: the replicas were ready ${-leadMs} ms after the due minute`);
    const cpuBefore = replicas.map((replica) => replica.app.cpuMs() ?? 0);
    const digests = await awaitDueDigests({
      support,
      count: due,
      dueAt,
      timeoutMs: DUE_TIMEOUT_MS,
      settleMs: SETTLE_MS,
    });
    const cpuDueMs = replicas.map((replica, index) => (replica.app.cpuMs() ?? 0) - (cpuBefore[index] ?? 0));
    const peaksAfterDue = replicas.map((replica) => replica.peakRssBytes() ?? 0);
    log(
      `${digests.posted} digests posted, ${digests.duplicates} duplicates, last after ${round((digests.wallMs ?? 0) / 1000, 1)} s`,
    );

    log('1,000 concurrent access changes');
    const lost = await runLostUpdates({
      replicaUrls: replicas.map((replica) => replica.app.url),
      support,
      storeUrl: target.storeUrl,
      dataDir,
      seeded: workspaces,
    });
    const peaks = replicas.map((replica) => replica.peakRssBytes() ?? 0);
    log(`lost updates ${lost.lostUpdates}, peak RSS ${peaks.map(mib).join(' / ')} MiB`);
    return {
      workspaces,
      idleTickMs: tickSummary(idle.bothMs),
      dueDigests: due,
      posted: digests.posted,
      duplicates: digests.duplicates,
      dueWallMs: digests.wallMs ?? null,
      peakRssMiB: mib(Math.max(...peaks)),
      lostUpdates: lost.lostUpdates,
      details: {
        ...(reference ? { idleTickAtReferenceMs: tickSummary(reference.bothMs) } : {}),
        idleDigestTickMs: tickSummary(idle.digestMs),
        idleAlertTickMs: tickSummary(idle.alertMs),
        ...(reference
          ? {
              idleDigestTickAtReferenceMs: tickSummary(reference.digestMs),
              idleAlertTickAtReferenceMs: tickSummary(reference.alertMs),
            }
          : {}),
        idleTicksPerSeries: IDLE_TICKS,
        seeding: {
          ms: seeds.reduce((sum, seed) => sum + seed.ms, 0),
          records: seeds.reduce((sum, seed) => sum + seed.records, 0),
          logEntries: seeds.reduce((sum, seed) => sum + seed.logEntries, 0),
          dueEntries: seeds.reduce((sum, seed) => sum + seed.dueEntries, 0),
          sampledReadBack: verified.sampled,
        },
        dueScheduleMs: scheduleMs,
        dueSetupLeadMs: leadMs,
        firstPostMs: digests.firstPostMs ?? null,
        dueTimedOut: digests.timedOut,
        postErrors: digests.errors,
        replicaCpuDuringDueMs: cpuDueMs,
        peakRssMiBPerReplica: peaks.map(mib),
        peakRssMiBAfterDuePerReplica: peaksAfterDue.map(mib),
        failedChanges: lost.failedChanges,
        mismatches: lost.mismatches,
        badAcks: lost.badAcks,
        changesWallMs: lost.wallMs,
        changesPerReplica: lost.perReplica,
      },
    };
  } finally {
    await Promise.all(replicas.map((replica) => replica.app.stop()));
    log('clearing the namespace');
    await target.clear();
  }
}

export const scale: Benchmark = {
  name: 'scale',
  title: 'Scale: 100,000 workspaces, two replicas, per store',
  optIn: true,
  async run(context) {
    const workspaces = context.options.workspaces ?? DEFAULT_WORKSPACES;
    const targets = scaleBackends(process.env, context.workDir, context.options.stores);
    const fixtureOrgs = Math.min(DUE_DIGESTS, workspaces);
    context.log('building the app (npm run build)');
    buildApp();
    const orgs = generatedOrgs(fixtureOrgs);
    const support = await startSupport({ orgCount: fixtureOrgs, fixtureSeed: FIXTURE_SEED });
    const figures: Figure[] = [];
    const backends: Partial<Record<BackendName, BackendResult>> = {};
    try {
      await support.link.call('addUser', { id: CONNECTOR, name: 'bench-admin' });
      await support.link.call('addChannels', {
        ids: Array.from({ length: Math.min(DUE_DIGESTS, workspaces) }, (_, index) => dueChannel(index)),
      });
      for (const target of targets) {
        const started = performance.now();
        let result: BackendResult;
        try {
          result = await runBackend(target, workspaces, orgs, support, context);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          context.log(`${target.kind}: failed: ${message}`);
          result = { error: message };
        }
        context.log(`${target.kind}: took ${round((performance.now() - started) / 1000, 0)} s`);
        backends[target.kind] = result;
        figures.push(...backendFigures(target.kind, result));
      }
    } finally {
      await support.stop();
    }
    return {
      figures,
      raw: { workspaces, replicas: REPLICAS, dueDigests: Math.min(DUE_DIGESTS, workspaces), backends },
      notes: scaleNotes(workspaces, backends),
    };
  },
};
