import type { FromAnswerThread } from '../../src/answers/messages';
import { threadLogger } from '../../src/answers/thread-logger';
import { SecretMask } from '../../src/logging/mask';

const SECRET = 'viam-api-key-that-must-not-leak-7c1d';

describe("an answer thread's logger", () => {
  it('sends lines at or above its level, masked, with the bindings of every child', () => {
    const sent: FromAnswerThread[] = [];
    const logger = threadLogger({ level: 'info', mask: new SecretMask([SECRET]), send: (m) => sent.push(m) });
    const child = logger.child({ requestId: 'abcd1234', token: 'xoxb-123456-abcdef' }).child({ team: 'T1' });
    child.debug({ detail: 1 }, 'dropped below the level');
    child.info({ subcommand: 'overview' }, 'command received');
    child.warn({ err: new Error(`Viam refused ${SECRET}`) }, 'request failed');

    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual({
      kind: 'log',
      level: 'info',
      bindings: { requestId: 'abcd1234', token: '[redacted]', team: 'T1' },
      fields: { subcommand: 'overview' },
      message: 'command received',
    });
    const text = JSON.stringify(sent);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('xoxb-123456-abcdef');
    expect(text).toContain('Viam refused');
    // Plain data only: what a worker can post (an Error instance would lose its masked fields).
    expect(() => structuredClone(sent)).not.toThrow();
  });
});
