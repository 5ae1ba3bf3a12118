import { Session } from 'node:inspector/promises';
import { type CpuProfile, ownerOf, summarizeProfile } from '../../../bench/lib/cpu-profile';

/** Keeps the CPU busy for `ms` in a function of its own name, so the profile has one clear top item. */
function spinForProfile(ms: number): number {
  const until = performance.now() + ms;
  let sum = 0;
  while (performance.now() < until) for (let index = 0; index < 1_000; index++) sum += Math.sqrt(index);
  return sum;
}

describe('the CPU profile summary', () => {
  it('names the function that took the time, with its file, from a real V8 profile', async () => {
    const session = new Session();
    session.connect();
    try {
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 100 });
      await session.post('Profiler.start');
      spinForProfile(300);
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
      const summary = summarizeProfile(profile, 5);
      expect(summary.totalMs).toBeGreaterThan(250);
      // V8's pseudo-frames may come first: the test's worker can collect garbage from earlier tests meanwhile.
      const [first] = summary.byFunction.filter((entry) => !entry.name.startsWith('('));
      expect(first?.name).toMatch(/^spinForProfile .*cpu-profile\.test\.ts:\d+$/);
      expect(first?.selfMs).toBeGreaterThan(0.4 * summary.totalMs);
      expect(summary.byFunction).toHaveLength(Math.min(5, summary.byFunction.length));
    } finally {
      session.disconnect();
    }
  });

  it('groups frames by npm package (with its scope), app folder, Node internals and V8 pseudo-frames', () => {
    expect(ownerOf('file:///app/node_modules/@slack/bolt/dist/App.js', 'processEvent')).toBe('@slack/bolt');
    expect(ownerOf('/app/node_modules/.pnpm/x/node_modules/pino/lib/proto.js', 'write')).toBe('pino');
    expect(ownerOf('file:///app/src/blocks/overview.ts', 'renderOverview')).toBe('src/blocks/');
    expect(ownerOf('/app/dist/src/app.js', 'startApp')).toBe('src/app.js');
    expect(ownerOf('node:internal/streams/writable', 'write')).toBe('node internals');
    expect(ownerOf('', '(garbage collector)')).toBe('(garbage collector)');
    expect(ownerOf('', 'someNative')).toBe('(native)');
  });
});
