import type { BenchmarkResult } from '../../../bench/lib/benchmark';
import { describeRegression, findRegressions } from '../../../bench/lib/regressions';

function result(name: string, raw: Record<string, unknown>): BenchmarkResult {
  return { name, title: name, durationMs: 1_000, figures: [], raw, notes: [] };
}

describe('findRegressions', () => {
  const before = [
    result('ack', {
      requests: 2_000,
      ourAppMs: { count: 2_000, p50: 10, p99: 40, max: 90 },
      cpuMsPerCommand: { ourApp: 4, bareBolt: 0.7 },
      openLoop: [
        { ratePerSecond: 10, ourP99Ms: 5, answerP99Ms: 30 },
        { ratePerSecond: 150, ourP99Ms: 8, answerP99Ms: 50 },
      ],
      saturationPerSecond: { ourApp: 250, bareBolt: 1_400 },
    }),
    result('scale', { backends: { sqlite: { dueWallMs: 50_000, duplicates: 0, peakRssMiB: 270, seedMs: 100 } } }),
  ];

  it('flags figures more than 20% worse, lower-is-better and higher-is-better alike', () => {
    const after = [
      result('ack', {
        requests: 4_000,
        ourAppMs: { count: 9_000, p50: 11, p99: 49, max: 200 },
        cpuMsPerCommand: { ourApp: 4.7, bareBolt: 0.7 },
        // Matched by rate, not position: the 10/s run moved.
        openLoop: [
          { ratePerSecond: 150, ourP99Ms: 8, answerP99Ms: 61 },
          { ratePerSecond: 10, ourP99Ms: 5, answerP99Ms: 30 },
        ],
        saturationPerSecond: { ourApp: 190, bareBolt: 1_400 },
      }),
      result('scale', {
        backends: { sqlite: { dueWallMs: 47_500, duplicates: 3, peakRssMiB: 330.123456, seedMs: 900 } },
      }),
    ];
    const found = findRegressions(before, after).map(describeRegression);
    expect(found).toEqual([
      'ack: ourAppMs.p99 40 → 49 (23% worse)',
      'ack: ourAppMs.max 90 → 200 (122% worse)',
      'ack: openLoop[rate=150].answerP99Ms 50 → 61 (22% worse)',
      'ack: saturationPerSecond.ourApp 250 → 190 (24% worse)',
      'scale: backends.sqlite.peakRssMiB 270 → 330.1 (22% worse)',
    ]);
  });

  it('finds nothing when every figure held or improved, or the benchmark is new or failed', () => {
    expect(findRegressions(before, before)).toEqual([]);
    expect(findRegressions(before, [result('startup', { readyMs: 900 })])).toEqual([]);
    expect(
      findRegressions(before, [{ ...result('scale', { backends: { sqlite: { dueWallMs: 99_000 } } }), error: 'x' }]),
    ).toEqual([]);
  });
});
