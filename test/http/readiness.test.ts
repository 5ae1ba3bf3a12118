import { Readiness } from '../../src/http/readiness';

/** A readiness check over hand-driven store and Slack pings and a hand-driven clock. */
function harness() {
  let clock = 0;
  const state = { store: true, slack: true, slackCalls: 0 };
  const failures: string[] = [];
  const readiness = new Readiness({
    pingStore: async () => {
      if (!state.store) throw new Error('store down');
    },
    pingSlack: async () => {
      state.slackCalls += 1;
      if (!state.slack) throw new Error('slack down');
    },
    slackCacheMs: 30_000,
    clock: () => clock,
    onFailure: (check) => failures.push(check),
  });
  return { readiness, state, failures, advance: (ms: number) => (clock += ms) };
}

describe('Readiness', () => {
  it('is ready when both answer, and names the failing check otherwise', async () => {
    const h = harness();
    expect(await h.readiness.check()).toEqual({ ready: true, checks: { store: 'ok', slack: 'ok' } });
    h.state.store = false;
    expect(await h.readiness.check()).toEqual({ ready: false, checks: { store: 'failed', slack: 'ok' } });
    expect(h.failures).toEqual(['store']);
  });

  it('trusts a successful Slack check for the cache time, then asks again', async () => {
    const h = harness();
    await h.readiness.check();
    h.state.slack = false;
    h.advance(29_999);
    expect((await h.readiness.check()).checks.slack).toBe('ok');
    expect(h.state.slackCalls).toBe(1);
    h.advance(1);
    expect((await h.readiness.check()).checks.slack).toBe('failed');
    expect(h.state.slackCalls).toBe(2);
  });

  it('does not keep a failed Slack check: the next poll asks again', async () => {
    const h = harness();
    h.state.slack = false;
    expect((await h.readiness.check()).ready).toBe(false);
    h.state.slack = true;
    expect((await h.readiness.check()).ready).toBe(true);
    expect(h.state.slackCalls).toBe(2);
  });

  it('shares one Slack question among polls arriving together', async () => {
    const h = harness();
    const reports = await Promise.all([h.readiness.check(), h.readiness.check(), h.readiness.check()]);
    expect(reports.every((report) => report.ready)).toBe(true);
    expect(h.state.slackCalls).toBe(1);
  });
});
