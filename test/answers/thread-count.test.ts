import { availableParallelism } from 'node:os';
import { answerThreadCount } from '../../src/answers/thread-count';
import { loadConfig } from '../../src/config';
import { StartupError } from '../../src/lifecycle/startup-error';

const NOTHING = { store: false, billing: false, clock: false };
const REDIS = (injected: Partial<typeof NOTHING> = {}) => ({
  injected: { ...NOTHING, ...injected },
  backend: 'redis' as const,
});

describe('how many answer threads', () => {
  it('auto: one on two cores or more, none on one (Redis)', () => {
    expect(answerThreadCount('auto', REDIS())).toBe(availableParallelism() >= 2 ? 1 : 0);
  });

  it('auto: none when a test or the demo hands the app its store, billing client or clock', () => {
    expect(answerThreadCount('auto', REDIS({ store: true }))).toBe(0);
    expect(answerThreadCount('auto', REDIS({ billing: true }))).toBe(0);
    expect(answerThreadCount('auto', REDIS({ clock: true }))).toBe(0);
  });

  it('none on SQLite, whose driver can abort the process when a thread ends mid-query; asking is refused', () => {
    const sqlite = { injected: NOTHING, backend: 'sqlite' as const };
    expect(answerThreadCount('auto', sqlite)).toBe(0);
    expect(answerThreadCount(0, sqlite)).toBe(0);
    expect(() => answerThreadCount(1, sqlite)).toThrow(
      'ANSWER_THREADS needs a Redis or PostgreSQL STORE_URL: the SQLite driver can stop the whole app when an answer thread ends mid-query; set it to 0 or auto.',
    );
    expect(answerThreadCount('auto', { injected: NOTHING, backend: 'postgres' })).toBe(
      availableParallelism() >= 2 ? 1 : 0,
    );
  });

  it('a number is taken as it is; 0 answers on the acking thread', () => {
    expect(answerThreadCount(3, REDIS())).toBe(3);
    expect(answerThreadCount(0, REDIS({ store: true }))).toBe(0);
  });

  it('asking for threads with an injected part is refused in one sentence', () => {
    expect(() => answerThreadCount(1, REDIS({ clock: true }))).toThrow(StartupError);
    expect(() => answerThreadCount(1, REDIS({ clock: true }))).toThrow(
      'ANSWER_THREADS cannot be used with a store, billing client or clock handed to startApp; set it to 0 or auto.',
    );
  });
});

describe('ANSWER_THREADS', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-test-token-value', SLACK_SIGNING_SECRET: 'signing-secret-value' };

  it('defaults to auto and reads a number or auto', () => {
    expect(loadConfig(base).answerThreads).toBe('auto');
    expect(loadConfig({ ...base, ANSWER_THREADS: 'auto' }).answerThreads).toBe('auto');
    expect(loadConfig({ ...base, ANSWER_THREADS: '0' }).answerThreads).toBe(0);
    expect(loadConfig({ ...base, ANSWER_THREADS: '2' }).answerThreads).toBe(2);
  });

  it.each(['-1', 'two', '17', '1.5'])('refuses %s with what it must be', (value) => {
    expect(() => loadConfig({ ...base, ANSWER_THREADS: value })).toThrow(
      'ANSWER_THREADS must be auto or a whole number of threads from 0 to 16',
    );
  });
});
