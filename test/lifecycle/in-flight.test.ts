import { InFlight } from '../../src/lifecycle/in-flight';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('InFlight', () => {
  it('waits for tracked work, including work that settles with an error', async () => {
    const work = new InFlight();
    const first = deferred();
    const failing = Promise.reject(new Error('boom'));
    work.track(first.promise);
    work.track(failing).catch(() => {});
    expect(work.size).toBe(2);

    const drained = work.drain(5_000);
    expect(work.accepting).toBe(false);
    first.resolve();
    await expect(drained).resolves.toBe(true);
    expect(work.size).toBe(0);
  });

  it('gives up after the timeout when work never ends', async () => {
    const work = new InFlight();
    work.track(new Promise(() => {}));
    await expect(work.drain(20)).resolves.toBe(false);
  });
});
