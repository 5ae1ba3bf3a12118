/**
 * `/viam-usage` answered on an answer thread (src/answers): the real app in HTTP mode on Redis (answer
 * threads need Redis or PostgreSQL; PostgreSQL when only DATABASE_URL is set), its
 * answer thread a worker with its own store connection and Viam channel, against the emulator and
 * the Slack stand-in. What the acking thread must still see: the answer, its log lines, its counts;
 * and what a user gets when the thread stops mid-answer.
 */
import { type LocalStack, startLocalStack } from '../../dev/local-stack';
import { commandFrom, connectOrg, installTeam, oauthStackOptions } from '../slack/oauth-support';
import { takeTurnsOnSharedServers } from '../support/shared-servers';
import { messageText } from '../support/stack';

// Redis and PostgreSQL hold the app's one namespace: files using them take turns.
takeTurnsOnSharedServers();

const STORE_URL = process.env.REDIS_URL ?? process.env.DATABASE_URL;
const suite = STORE_URL ? describe : describe.skip;
if (!STORE_URL) console.warn('Skipping the answer-thread tests: neither REDIS_URL nor DATABASE_URL is set.');

interface LogLine {
  level: number;
  msg?: string;
  thread?: string;
  requestId?: string;
  subcommand?: string;
}

suite('answers on an answer thread', () => {
  let stack: LocalStack;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    // No clock of the test's own: a thread reads the real one, as in production.
    stack = await startLocalStack({
      env: { ANSWER_THREADS: '1', STORE_URL },
      logDestination: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  beforeEach(async () => {
    stack.emulator.knobs.reset();
    // An earlier test's last outcome may still be on its way back (the thread sends its bookkeeping in batches).
    await waitFor(async () => stack.app.services.answerThreads?.inFlight === 0);
    lines.length = 0;
  });

  it('answers the overview, with its log lines (tagged with the thread) in the app log and its counts in /metrics', async () => {
    expect(stack.app.services.answerThreads).toBeDefined();
    const { ack, answer } = await stack.command('');
    expect(ack.status).toBe(200);
    expect(answer?.body.text).toMatch(/^Viam billing for default\. \$\d[\d,]*\.\d\d so far this billing period/);

    const received = lines.find((line) => line.msg === 'command received');
    expect(received).toMatchObject({ thread: 'answers', subcommand: 'overview' });
    expect(received?.requestId).toMatch(/^[0-9a-f]{8}$/);

    // The thread's counts reach the acking thread's registry: the command and its three Viam reads.
    await waitFor(async () => (await stack.app.metrics.exposition()).includes('subcommand="overview",outcome="ok"} 1'));
    const exposition = await stack.app.metrics.exposition();
    expect(exposition).toMatch(
      /viam_billing_viam_call_duration_seconds_count\{method="GetCurrentMonthUsage",code="OK"\} [1-9]/,
    );
  });

  it('gives every subcommand the same answers as on the acking thread (usage, invoices, help, a typo)', async () => {
    expect(messageText((await stack.command('usage')).answer?.body)).toContain('Viam usage for default');
    expect(messageText((await stack.command('invoices')).answer?.body)).toContain('Outstanding balance');
    expect(messageText((await stack.command('help')).answer?.body)).toContain('/viam-usage');
    expect(messageText((await stack.command('usgae')).answer?.body)).toMatch(/Did you mean/i);
  });

  it('tells the user in one sentence when the thread stops mid-answer, and the next command starts a new one', async () => {
    stack.emulator.knobs.setLatency('GetCurrentMonthUsage', 2_000);
    const pending = stack.command('', { timeoutMs: 15_000 });
    await waitFor(async () => (stack.app.services.answerThreads?.inFlight ?? 0) > 0);
    await stack.app.services.answerThreads?.terminateForTest();
    const { answer } = await pending;
    const text = messageText(answer?.body);
    expect(text).toContain('The app was interrupted while answering this command');
    expect(text).toContain('Run the command again.');
    expect(text).toMatch(/Request ID `[0-9a-f]{8}`/);

    stack.emulator.knobs.setLatency('GetCurrentMonthUsage', 0);
    expect((await stack.command('')).answer?.body.text).toMatch(/^Viam billing for default/);
  });

  it('on shutdown waits for the answer the thread is still giving', async () => {
    stack.emulator.knobs.setLatency('GetCurrentMonthUsage', 800);
    const pending = stack.command('', { timeoutMs: 15_000 });
    await waitFor(async () => (stack.app.services.answerThreads?.inFlight ?? 0) > 0);
    await stack.app.stop();
    const { answer } = await pending;
    expect(answer?.body.text).toMatch(/^Viam billing for default/);
    await stack.restartApp();
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

suite('answers on an answer thread, OAuth mode', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack(oauthStackOptions(STORE_URL, { env: { ANSWER_THREADS: '1' } }));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("answers with the installing team's own token, read from its installation by the thread", async () => {
    expect(stack.app.services.answerThreads).toBeDefined();
    const team = await installTeam(stack);
    await connectOrg(stack, team);

    const overview = await commandFrom(stack, team, '');
    expect(overview.ack.status).toBe(200);
    const answer = await stack.slack.waitForResponse(overview.responseUrl, undefined, 10_000);
    expect(messageText(answer.body)).toContain('Viam billing · acme');

    // `digest now` checks the channel and posts into it: two Web API calls the stand-in accepts only with this team's token.
    const channel = stack.slack.workspace.channel(team.channel);
    const now = await commandFrom(stack, team, `digest now <#${team.channel}|${channel?.name ?? 'billing'}>`);
    const posted = await stack.slack.waitForResponse(now.responseUrl, undefined, 10_000);
    expect(messageText(posted.body)).toContain(`Posted a Viam digest in <#${team.channel}>.`);
    expect(stack.slack.messagesIn(team.channel).some((message) => message.text?.startsWith('Weekly Viam digest'))).toBe(
      true,
    );
  });
});
