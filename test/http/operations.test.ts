/**
 * The operations routes of the real app over HTTP: /healthz, /readyz (store and Slack checked) and
 * /metrics (Prometheus text) after real commands went through the Slack stand-in and the emulator.
 */
import { LogCapture, SEED, status, USERS, useLocalStack } from '../support/stack';

const logs = new LogCapture();
const stackOf = useLocalStack({ logDestination: logs.destination });

async function get(path: string): Promise<{ status: number; body: string; type: string | null }> {
  const response = await fetch(`${stackOf().appUrl}${path}`);
  return { status: response.status, body: await response.text(), type: response.headers.get('content-type') };
}

/** The value of one series in a Prometheus exposition, e.g. `name{a="b"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function metricsOnce(ready: (text: string) => boolean): ReturnType<typeof get> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const metrics = await get('/metrics');
    if (ready(metrics.body) || Date.now() > deadline) return metrics;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('health and readiness', () => {
  it('/healthz says the process is up', async () => {
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
  });

  it('/readyz is 200 when the store answers and Slack accepts the token', async () => {
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', store: 'ok', slack: 'ok' });
  });

  it('/readyz is 503 naming Slack when the bot token was revoked', async () => {
    const stack = stackOf();
    // A fresh app: its readiness has no cached Slack answer yet.
    await stack.restartApp();
    stack.slack.workspace.revokeToken(SEED.team.id);
    try {
      const ready = await get('/readyz');
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toEqual({ status: 'not ready', store: 'ok', slack: 'failed' });
      // /healthz is about the process only.
      expect((await get('/healthz')).status).toBe(200);
    } finally {
      stack.slack.workspace.restoreToken(SEED.team.id);
    }
  });
});

describe('request logs', () => {
  it('carry the request ID, team and command on every line of a request, the Viam calls it made included', async () => {
    logs.lines.length = 0;
    await stackOf().command('usage');
    const requestLines = logs.entries().filter((entry) => entry.requestId !== undefined);
    const viamLines = requestLines.filter((entry) => entry.component === 'viam-billing');
    expect(requestLines.length).toBeGreaterThan(viamLines.length);
    expect(viamLines.length).toBeGreaterThanOrEqual(1);
    for (const entry of requestLines) expect(entry).toMatchObject({ team: SEED.team.id, command: 'usage' });
    for (const entry of requestLines.filter((line) => line.component !== 'viam-billing')) {
      expect(entry.user).toBe(USERS.ada);
    }
    expect(viamLines[0]).toMatchObject({
      method: 'GetCurrentMonthUsage',
      callId: expect.stringMatching(/^[0-9a-f]{8}$/),
    });
    expect(new Set(requestLines.map((entry) => entry.requestId)).size).toBe(1);
  });
});

describe('metrics', () => {
  it('counts commands by subcommand and outcome, and times Viam calls by method and code', async () => {
    const stack = stackOf();
    await stack.restartApp();
    await stack.command('usage');
    await stack.command('usage');
    await stack.command('access add <@U0MEITOKYO|mei>', { user: USERS.linus });
    stack.emulator.knobs.failNext('GetInvoicesSummary', 1, status.INTERNAL);
    await stack.command('invoices');

    // The counter moves just after the answer is delivered, so the test waits for the last one.
    const metrics = await metricsOnce((text) => text.includes('subcommand="invoices",outcome="error"'));
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    const text = metrics.body;
    expect(sample(text, 'viam_billing_commands_total{subcommand="usage",outcome="ok"}')).toBe(2);
    expect(sample(text, 'viam_billing_commands_total{subcommand="access",outcome="refused"}')).toBe(1);
    expect(sample(text, 'viam_billing_commands_total{subcommand="invoices",outcome="error"}')).toBe(1);
    expect(sample(text, 'viam_billing_viam_call_duration_seconds_count{method="GetCurrentMonthUsage",code="OK"}')).toBe(
      2,
    );
    expect(
      sample(text, 'viam_billing_viam_call_duration_seconds_count{method="GetInvoicesSummary",code="INTERNAL"}'),
    ).toBe(1);
    expect(text).toContain('viam_billing_viam_call_duration_seconds_bucket{le="0.5",method="GetCurrentMonthUsage"');
    expect(sample(text, 'viam_billing_digests_total{result="sent"}')).toBe(0);
    expect(text).toContain('process_cpu_user_seconds_total');
    // No workspace or user IDs in any label.
    expect(text).not.toContain(SEED.team.id);
    expect(text).not.toContain(USERS.linus);
  });

  it('counts a scheduled digest as sent', async () => {
    const stack = stackOf();
    await stack.restartApp();
    const services = stack.app.services;
    const ref = { teamId: SEED.team.id };
    await services.digests.schedules.set(ref, {
      channelId: SEED.channels.billing,
      orgLabel: 'default',
      weekday: 'thu',
      time: '14:55',
      timeZone: 'UTC',
      createdBy: USERS.ada,
      createdAt: '2026-11-01T00:00:00.000Z',
    });
    try {
      const report = await services.digests.scheduler.tick();
      expect(report.runs.map((run) => run.outcome.status)).toEqual(['posted']);
      const text = (await get('/metrics')).body;
      expect(sample(text, 'viam_billing_digests_total{result="sent"}')).toBe(1);
    } finally {
      await services.digests.schedules.remove(ref, SEED.channels.billing);
    }
  });

  it('/readyz is 503 naming the store once it is closed, and counts the store error', async () => {
    const stack = stackOf();
    await stack.restartApp();
    await stack.app.services.store.close();
    const ready = await get('/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({ status: 'not ready', store: 'failed', slack: 'ok' });
    const text = (await get('/metrics')).body;
    expect(sample(text, 'viam_billing_store_errors_total{kind="unavailable"}')).toBe(1);
    // Leaves a working app for whatever runs next.
    await stack.restartApp().catch(() => undefined);
  });
});
