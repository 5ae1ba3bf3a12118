import { busiestWindow, median, percentile, summarize } from '../../../bench/lib/stats';

describe('percentile', () => {
  it('is the nearest-rank value, one that was actually measured', () => {
    const samples = Array.from({ length: 100 }, (_, index) => index + 1).reverse();
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile([7, 3, 5], 50)).toBe(5);
    expect(median([10, 30])).toBe(10);
  });

  it('is NaN without samples and refuses a percentile outside 0..100', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarizes p50, p99 and the maximum', () => {
    expect(summarize([1, 2, 3, 4])).toEqual({ count: 4, p50: 2, p99: 4, max: 4 });
  });
});

describe('busiestWindow', () => {
  it('counts the most events of one key within any window', () => {
    const events = [
      { key: 'C1', at: 0 },
      { key: 'C1', at: 1_000 },
      { key: 'C1', at: 1_999 },
      { key: 'C2', at: 10 },
      { key: 'C2', at: 20 },
      { key: 'C2', at: 30 },
    ];
    expect(busiestWindow(events, 1_000)).toBe(3);
    expect(busiestWindow(events.slice(0, 3), 1_000)).toBe(2);
    expect(busiestWindow([], 1_000)).toBe(0);
  });

  it('sees one post per channel, however many channels, as one', () => {
    const events = Array.from({ length: 500 }, (_, index) => ({ key: `C${index}`, at: 5 }));
    expect(busiestWindow(events, 1_000)).toBe(1);
  });
});
