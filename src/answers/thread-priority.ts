import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Niceness of an answer thread: the acking thread (0) always wins a core first when both want one. */
export const ANSWER_THREAD_NICENESS = 10;

/**
 * Lowers the calling thread's CPU priority, on Linux, where a thread has its own (setpriority on a
 * thread ID affects only that thread). Elsewhere, or where the system refuses, the thread keeps the
 * process's priority and answers exactly the same, only with less precedence given to acks.
 */
export function lowerThisThreadsPriority(niceness = ANSWER_THREAD_NICENESS): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(threadId) || threadId <= 0) return false;
    setPriority(threadId, niceness);
    return true;
  } catch {
    return false;
  }
}
