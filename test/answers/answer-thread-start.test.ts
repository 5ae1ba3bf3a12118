/**
 * Starting answer threads for real (worker threads running src/answers/answer-thread.ts): a thread
 * that cannot open its store stops the start with the store's own sentence, and never the URL's
 * password or the encryption key.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { answerThreadData } from '../../src/answers/answer-thread';
import { AnswerThreads } from '../../src/answers/answer-threads';
import { loadConfig } from '../../src/config';
import { AppMetrics } from '../../src/metrics/app-metrics';
import { captureLogs } from '../billing/harness';
import { STACK_ENCRYPTION_KEY } from '../support/log-sink';

const PASSWORD = 'pg-password-that-must-not-leak-31f9';

describe('starting answer threads', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'answer-threads-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const start = (env: NodeJS.ProcessEnv) => {
    const logs = captureLogs();
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-answer-thread-test-token',
      SLACK_SIGNING_SECRET: 'signing-secret-of-the-test',
      DATA_DIR: dataDir,
      ...env,
    });
    const started = AnswerThreads.start({
      count: 1,
      data: answerThreadData(config, { botUserId: 'UBOT', eventsPath: '/slack/events' }),
      logger: logs.logger,
      metrics: new AppMetrics({ defaultMetrics: false }),
      reportUnanswered: async () => undefined,
      startTimeoutMs: 15_000,
    });
    return { started, logs };
  };

  it('a thread that cannot open its store stops the start with one sentence, keeping secrets out', async () => {
    const key = randomBytes(32).toString('base64');
    const { started, logs } = start({
      // Nothing listens on port 1.
      STORE_URL: `postgres://app:${PASSWORD}@127.0.0.1:1/billing`,
      ENCRYPTION_KEY: key,
    });
    const error = await started.then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toMatch(/PostgreSQL|store/i);
    for (const secret of [PASSWORD, key]) {
      expect(error?.message).not.toContain(secret);
      expect(logs.text()).not.toContain(secret);
    }
  });

  const storeUrl = process.env.REDIS_URL ?? process.env.DATABASE_URL;
  (storeUrl ? it : it.skip)(
    'a thread on a good store (Redis or PostgreSQL) starts, and closes when asked',
    async () => {
      const { started } = start({ STORE_URL: storeUrl, ENCRYPTION_KEY: STACK_ENCRYPTION_KEY });
      const threads = await started;
      expect(threads.inFlight).toBe(0);
      await threads.close();
    },
  );
});
