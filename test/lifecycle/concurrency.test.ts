import { eachWithConcurrency, positiveOption } from '../../src/lifecycle/concurrency';

describe('eachWithConcurrency', () => {
  it('does every item once, never more than the limit at a time', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachWithConcurrency([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      done.push(item);
      running--;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('does nothing for no items', async () => {
    const work = jest.fn(async () => undefined);
    await eachWithConcurrency([], 4, work);
    expect(work).not.toHaveBeenCalled();
  });
});

describe('positiveOption', () => {
  it('takes the fallback when absent and refuses what is not positive, naming the option', () => {
    expect(positiveOption(undefined, 8, 'concurrency')).toBe(8);
    expect(positiveOption(2.5, 8, 'concurrency')).toBe(2.5);
    expect(() => positiveOption(0, 8, 'concurrency')).toThrow('concurrency must be a positive number');
    expect(() => positiveOption(Number.NaN, 8, 'graceMs')).toThrow('graceMs must be a positive number');
  });
});
