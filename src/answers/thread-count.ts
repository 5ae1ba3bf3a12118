import { availableParallelism } from 'node:os';
import { StartupError } from '../lifecycle/startup-error';
import type { BackendKind } from '../store/store-url';

export interface ThreadCountFacts {
  /** A store, billing client or clock handed to startApp by a test or the demo, which a thread cannot share. */
  injected: { store: boolean; billing: boolean; clock: boolean };
  /** The store the app opens from STORE_URL. */
  backend: BackendKind;
}

/**
 * How many answer threads to run. `auto` is one on a machine with two cores or more (the acking thread
 * and the answers then each have one) and none on one core, where a thread would only add switching.
 *
 * Never on SQLite: its driver (node-sqlite3) aborts the whole process when a thread ends while one of
 * its queries is still completing (seen in our tests when a thread was stopped mid-answer), so a thread
 * that crashes would take the acking thread down with it. Never with an injected part either: a thread
 * builds its own store and clients. Asking for threads in either case is refused in one sentence.
 */
export function answerThreadCount(setting: number | 'auto', facts: ThreadCountFacts): number {
  const { injected, backend } = facts;
  const replaced = injected.store || injected.billing || injected.clock;
  if (setting === 'auto') return replaced || backend === 'sqlite' || availableParallelism() < 2 ? 0 : 1;
  if (setting > 0 && replaced) {
    throw new StartupError(
      'ANSWER_THREADS cannot be used with a store, billing client or clock handed to startApp; set it to 0 or auto.',
    );
  }
  if (setting > 0 && backend === 'sqlite') {
    throw new StartupError(
      'ANSWER_THREADS needs a Redis or PostgreSQL STORE_URL: the SQLite driver can stop the whole app when an answer thread ends mid-query; set it to 0 or auto.',
    );
  }
  return setting;
}
