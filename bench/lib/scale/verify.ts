/**
 * Reads seeded workspaces back through the real store and the app's modules, so a bulk loader that
 * wrote anything the app reads differently fails the run before it measures anything.
 */
import { ORG_CHECK_QUEUE, orgCheckMember } from '../../../src/alerts/check-times';
import { AnomalySettingsStore } from '../../../src/anomalies/settings';
import { AuditTrail } from '../../../src/audit/trail';
import { Budgets } from '../../../src/budgets/budgets';
import { DigestRuns } from '../../../src/digest/runs';
import { DIGEST_QUEUE, DigestSchedules, digestMember } from '../../../src/digest/schedules';
import { UsageSnapshots } from '../../../src/digest/snapshots';
import { silentLogger } from '../../../src/logger';
import { BACKFILL_QUEUE } from '../../../src/schedule/backfill';
import { openStore } from '../../../src/store';
import { BENCH_ENCRYPTION_KEY } from '../app-env';
import type { Credentials } from '../seed';
import type { BackendTarget } from './backends';
import { scaleRef, seededChannel } from './plan';

export interface VerifyOutcome {
  sampled: number;
  dueDigests: number;
  dueOrgChecks: number;
}

export async function verifySeed(options: {
  target: BackendTarget;
  dataDir: string;
  workspaces: number;
  orgs: readonly Credentials[];
  now: Date;
}): Promise<VerifyOutcome> {
  const logger = silentLogger();
  const store = await openStore({
    url: options.target.storeUrl,
    dataDir: options.dataDir,
    encryptionKey: BENCH_ENCRYPTION_KEY,
    logger,
  });
  const fail = (index: number, what: string): never => {
    throw new Error(`seeded workspace ${index} did not read back: ${what}`);
  };
  try {
    const schedules = new DigestSchedules(store, logger);
    const runs = new DigestRuns(store);
    const budgets = new Budgets(store, logger);
    const anomalies = new AnomalySettingsStore(store, logger);
    const snapshots = new UsageSnapshots(store, () => options.now);
    const audit = new AuditTrail(store, () => options.now);
    const last = options.workspaces - 1;
    const samples = [...new Set([0, 1, Math.floor(last / 2), last - 1, last, ...spreadSample(options.workspaces, 20)])];
    for (const index of samples.filter((sample) => sample >= 0 && sample <= last)) {
      const ref = scaleRef(index);
      const org = options.orgs[index % options.orgs.length] as Credentials;
      const workspace = await store.workspaces.get(ref);
      if (workspace.orgs[0]?.orgId !== org.orgId) fail(index, 'its connected org');
      const key = await store.workspaces.revealApiKey(ref, 'default');
      if (key.id !== org.apiKeyId || key.key !== org.apiKey) fail(index, 'its sealed API key');
      const channelId = seededChannel(index);
      if (!(await schedules.get(ref, channelId))) fail(index, 'its digest schedule');
      if ((await runs.listFor(ref)).filter((run) => run.state === 'posted').length !== 2)
        fail(index, 'its digest runs');
      if (!(await budgets.get(ref, org.orgId))) fail(index, 'its budget');
      if (!(await anomalies.get(ref, org.orgId)).enabled) fail(index, 'its anomaly settings');
      if ((await snapshots.history(ref, org.orgId)).length !== 7) fail(index, 'its usage snapshots');
      if ((await audit.latest(ref, 10)).length !== 3) fail(index, 'its audit trail');
      const dueAt = await store.due.get(DIGEST_QUEUE, digestMember(ref, channelId));
      if (dueAt === undefined || dueAt.getTime() <= options.now.getTime()) fail(index, 'its digest due time');
      if ((await store.due.get(ORG_CHECK_QUEUE, orgCheckMember(ref, org.orgId))) === undefined) {
        fail(index, 'its hourly check due time');
      }
    }
    for (const queue of [DIGEST_QUEUE, ORG_CHECK_QUEUE]) {
      if ((await store.due.get(BACKFILL_QUEUE, queue)) === undefined)
        throw new Error(`no backfill marker for ${queue}`);
    }
    const listed = [];
    for await (const ref of store.workspaces.listWorkspaces()) {
      listed.push(ref);
      if (listed.length >= 3) break;
    }
    if (listed[0]?.teamId !== scaleRef(0).teamId)
      throw new Error('the workspace index does not list the seeded workspaces');
    return {
      sampled: samples.length,
      dueDigests: await store.due.size(DIGEST_QUEUE),
      dueOrgChecks: await store.due.size(ORG_CHECK_QUEUE),
    };
  } finally {
    await store.close();
  }
}

function spreadSample(count: number, samples: number): number[] {
  return Array.from({ length: samples }, (_, position) => Math.floor(((position + 0.5) * count) / samples));
}
