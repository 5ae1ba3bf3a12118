import type { BenchmarkResult } from '../../../../bench/lib/benchmark';
import type { MachineInfo } from '../../../../bench/lib/machine';
import { mergeResults, renderResultJson } from '../../../../bench/lib/report';
import { type BackendReport, backendFigures, tickSummary } from '../../../../bench/lib/scale/report';

function report(overrides: Partial<BackendReport> = {}): BackendReport {
  return {
    workspaces: 100_000,
    idleTickMs: { p50: 2, max: 9 },
    dueDigests: 10_000,
    posted: 10_000,
    duplicates: 0,
    dueWallMs: 41_000,
    peakRssMiB: 240,
    lostUpdates: 0,
    details: {
      idleTickAtReferenceMs: { p50: 1.5, max: 7 },
      idleDigestTickMs: { p50: 1, max: 5 },
      idleAlertTickMs: { p50: 1, max: 4 },
      failedChanges: 0,
      mismatches: 0,
    },
    ...overrides,
  };
}

const verdicts = (result: BackendReport) => backendFigures('postgres', result).map((figure) => figure.pass);

describe('scale figures', () => {
  it('pass every target when the run meets them', () => {
    const figures = backendFigures('postgres', report());
    expect(figures.map((figure) => figure.measure)).toEqual([
      'PostgreSQL: idle scheduler tick at 100,000 workspaces, p50 / max',
      'PostgreSQL: idle tick p50, 100,000 ÷ 10,000 workspaces',
      'PostgreSQL: 10,000 digests due in one minute, posted / duplicates',
      'PostgreSQL: due digests, wall time to the last post',
      'PostgreSQL: peak RSS of the larger replica',
      'PostgreSQL: lost updates in 1,000 concurrent access changes',
    ]);
    expect(figures.every((figure) => figure.pass)).toBe(true);
  });

  it('report each miss as a miss', () => {
    expect(verdicts(report({ idleTickMs: { p50: 2, max: 50 } }))[0]).toBe(false);
    expect(verdicts(report({ idleTickMs: { p50: 3.1, max: 9 } }))[1]).toBe(false);
    expect(verdicts(report({ duplicates: 1 })).slice(2, 4)).toEqual([false, false]);
    expect(verdicts(report({ posted: 9_999 }))[2]).toBe(false);
    expect(verdicts(report({ dueWallMs: 60_000 }))[3]).toBe(false);
    expect(verdicts(report({ dueWallMs: null }))[3]).toBe(false);
    expect(verdicts(report({ peakRssMiB: 300 }))[4]).toBe(false);
    expect(verdicts(report({ lostUpdates: 2 }))[5]).toBe(false);
  });

  it('counts a change that failed visibly against the expected state, and says so', () => {
    const details = { ...report().details, failedChanges: 3, mismatches: 3 };
    const [lost] = backendFigures('redis', report({ details })).slice(-1);
    expect(lost).toMatchObject({ result: '0 (3 answered with an error)', pass: false });
  });

  it('leaves the growth row out when nothing was measured at the reference size', () => {
    const { idleTickAtReferenceMs: _dropped, ...details } = report().details;
    expect(
      backendFigures('sqlite', report({ workspaces: 2_000, details })).map((figure) => figure.measure),
    ).not.toContain('SQLite: idle tick p50, 2,000 ÷ 10,000 workspaces');
  });

  it('says a backend that failed did not finish', () => {
    expect(backendFigures('redis', { error: 'Redis went away' })).toEqual([
      { measure: 'Redis: scale run', result: 'did not finish: Redis went away', target: '—', pass: false },
    ]);
  });

  it('summarises ticks as the nearest-rank median and the slowest', () => {
    expect(tickSummary([5, 1, 3, 2, 40])).toEqual({ p50: 3, max: 40 });
  });
});

const MACHINE: MachineInfo = {
  cpuModel: 'test',
  cores: 2,
  ramGiB: 24,
  node: 'v20',
  os: 'test',
  date: '2026-12-02T00:00:00.000Z',
  loadAverage: { start: 0.1, end: 0.2 },
};

function result(name: string, raw: Record<string, unknown> = {}): BenchmarkResult {
  return { name, title: name, durationMs: 1, figures: [], raw, notes: [] };
}

describe('the scale JSON file', () => {
  it('puts one benchmark at the top level, so the figures sit at raw.backends.<backend>', () => {
    const json = JSON.parse(renderResultJson([result('scale', { backends: { sqlite: report() } })], MACHINE));
    expect(json.name).toBe('scale');
    expect(json.machine.cores).toBe(2);
    expect(Object.keys(json.raw.backends.sqlite).sort()).toEqual(
      [
        'details',
        'dueDigests',
        'dueWallMs',
        'duplicates',
        'idleTickMs',
        'lostUpdates',
        'peakRssMiB',
        'posted',
        'workspaces',
      ].sort(),
    );
    expect(json.raw.backends.sqlite.idleTickMs).toEqual({ p50: 2, max: 9 });
  });

  it('lays several out as docs/benchmarks.json does', () => {
    const json = JSON.parse(renderResultJson([result('ack'), result('scale')], MACHINE));
    expect(json.benchmarks.map((entry: BenchmarkResult) => entry.name)).toEqual(['ack', 'scale']);
  });
});

describe('mergeResults', () => {
  it("keeps an entry that did not run, replaces one that did, in the benchmarks' order", () => {
    const previous = [result('ack', { old: true }), result('scale', { old: true }), result('gone')];
    const merged = mergeResults(previous, [result('ack', { old: false })], ['ack', 'digest', 'scale']);
    expect(merged.map((entry) => [entry.name, entry.raw.old])).toEqual([
      ['ack', false],
      ['scale', true],
    ]);
  });
});
