import { availableParallelism } from 'node:os';
import { StartupError } from '../lifecycle/startup-error';

/**
 * How many answer threads to run. `auto` is one on a machine with two cores or more (the acking thread
 * and the answers then each have one) and none on one core, where a thread would only add switching.
 * A thread builds its own store and clients, so an app given a store, billing client or clock by a test
 * or the demo answers on its own thread; asking for threads there is a mistake worth one sentence.
 */
export function answerThreadCount(
  setting: number | 'auto',
  injected: { store: boolean; billing: boolean; clock: boolean },
): number {
  const replaced = injected.store || injected.billing || injected.clock;
  if (setting === 'auto') return replaced || availableParallelism() < 2 ? 0 : 1;
  if (setting > 0 && replaced) {
    throw new StartupError(
      'ANSWER_THREADS cannot be used with a store, billing client or clock handed to startApp; set it to 0 or auto.',
    );
  }
  return setting;
}
