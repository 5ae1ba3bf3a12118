import { ChannelPacer } from '../../src/digest/pacing';

describe('ChannelPacer', () => {
  function setup() {
    let now = Date.parse('2026-11-23T08:00:00Z');
    const waits: number[] = [];
    const pacer = new ChannelPacer({
      now: () => new Date(now),
      sleep: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    return { pacer, waits, advance: (ms: number) => (now += ms), now: () => now };
  }

  it('lets the first message to a channel through at once', async () => {
    const { pacer, waits } = setup();
    await pacer.acquire('T1:C1');
    expect(waits).toEqual([]);
  });

  it('spaces messages to the same channel a second apart, in call order', async () => {
    let now = 0;
    const waits: number[] = [];
    const order: number[] = [];
    const pacer = new ChannelPacer({
      now: () => new Date(now),
      // The clock does not move while they wait: each is given its own slot up front.
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    await Promise.all(
      [0, 1, 2, 3].map(async (index) => {
        await pacer.acquire('T1:C1');
        order.push(index);
      }),
    );
    expect(waits).toEqual([1000, 2000, 3000]);
    expect(order).toEqual([0, 1, 2, 3]);
    now += 10_000;
    await pacer.acquire('T1:C1');
    expect(waits).toHaveLength(3);
  });

  it('never holds up another channel', async () => {
    const { pacer, waits } = setup();
    await pacer.acquire('T1:C1');
    await pacer.acquire('T1:C2');
    await pacer.acquire('T2:C1');
    expect(waits).toEqual([]);
  });

  it('waits only for what is left of the second', async () => {
    const { pacer, waits, advance } = setup();
    await pacer.acquire('T1:C1');
    advance(400);
    await pacer.acquire('T1:C1');
    expect(waits).toEqual([600]);
  });
});
