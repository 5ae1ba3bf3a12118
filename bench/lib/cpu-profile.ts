/** Self time per function and per owner (npm package, app folder, Node internals) from a V8 CPU profile. */

/** The parts of a `.cpuprofile` (V8's Profiler.Profile) read here. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }>;
  /** Microseconds. */
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileRow {
  name: string;
  selfMs: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time the thread had nothing to run. */
  idleMs: number;
  byOwner: ProfileRow[];
  byFunction: ProfileRow[];
}

/** V8's pseudo-frames: `(idle)` is waiting, the others are work without a JavaScript frame of their own. */
const IDLE = '(idle)';

/**
 * Who a frame belongs to: `node_modules/<package>` (scoped packages keep their scope), the app's
 * `src/<folder>` or `dev/<folder>`, `node:` internals, or V8's own pseudo-frames such as `(garbage collector)`.
 */
export function ownerOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  const app = /\/(src|dev|bench)\/([^/]+)/.exec(url);
  if (app) return app[2]?.includes('.') ? `${app[1]}/${app[2]}` : `${app[1]}/${app[2]}/`;
  return url;
}

/** Sample time per node: V8's time deltas when present, else the mean interval times the hit count. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const times = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  if (samples && timeDeltas && samples.length === timeDeltas.length) {
    // A sample's delta is the time since the one before it, so it is charged to the sample before.
    for (let index = 0; index < samples.length; index++) {
      const id = samples[index] as number;
      const ms = (timeDeltas[index + 1] ?? 0) / 1000;
      times.set(id, (times.get(id) ?? 0) + ms);
    }
    return times;
  }
  const hits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const perHitMs = hits > 0 ? (profile.endTime - profile.startTime) / 1000 / hits : 0;
  for (const node of profile.nodes) times.set(node.id, (node.hitCount ?? 0) * perHitMs);
  return times;
}

function topRows(totals: Map<string, number>, top: number): ProfileRow[] {
  return [...totals.entries()]
    .map(([name, selfMs]) => ({ name, selfMs }))
    .sort((a, b) => b.selfMs - a.selfMs || a.name.localeCompare(b.name))
    .slice(0, top);
}

export function summarizeProfile(profile: CpuProfile, top: number): ProfileSummary {
  const times = selfTimes(profile);
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const node of profile.nodes) {
    const ms = times.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    totalMs += ms;
    if (functionName === IDLE) {
      idleMs += ms;
      continue;
    }
    const owner = ownerOf(url, functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + ms);
    const where = url === '' ? '' : ` ${url.replace(/^.*\/(node_modules|src|dev|bench)\//, '$1/')}:${lineNumber + 1}`;
    const name = `${functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  }
  return { totalMs, idleMs, byOwner: topRows(byOwner, top), byFunction: topRows(byFunction, top) };
}
