import { setTimeout as delay } from 'node:timers/promises';
import type { FromAnswerThread } from '../../src/answers/messages';
import { Outbox } from '../../src/answers/outbox';

const answered = (id: number): FromAnswerThread => ({ kind: 'answered', id, subcommand: 'overview', outcome: 'ok' });

describe('an answer thread outbox', () => {
  it('sends what arrives within its delay as one batch, in order', async () => {
    const batches: FromAnswerThread[][] = [];
    const outbox = new Outbox((batch) => batches.push(batch), 15);
    outbox.send(answered(1));
    outbox.send(answered(2));
    await delay(5);
    outbox.send(answered(3));
    expect(batches).toHaveLength(0);
    await delay(30);
    expect(batches).toEqual([[answered(1), answered(2), answered(3)]]);

    outbox.send(answered(4));
    await delay(30);
    expect(batches).toEqual([[answered(1), answered(2), answered(3)], [answered(4)]]);
  });

  it('flush sends at once and leaves nothing for the timer', async () => {
    const batches: FromAnswerThread[][] = [];
    const outbox = new Outbox((batch) => batches.push(batch), 15);
    outbox.send({ kind: 'ready' });
    outbox.flush();
    outbox.flush();
    expect(batches).toEqual([[{ kind: 'ready' }]]);
    await delay(30);
    expect(batches).toHaveLength(1);
  });
});
