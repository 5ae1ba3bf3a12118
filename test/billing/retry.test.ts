import { status } from '@grpc/grpc-js';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryableCode,
  MAX_RETRY_DELAY_MS,
  validateRetryPolicy,
} from '../../src/billing/retry';

describe('retry policy', () => {
  it('retries UNAVAILABLE only', () => {
    expect(isRetryableCode(status.UNAVAILABLE)).toBe(true);
    for (const code of [status.DEADLINE_EXCEEDED, status.INTERNAL, status.UNAUTHENTICATED, status.NOT_FOUND]) {
      expect(isRetryableCode(code)).toBe(false);
    }
  });

  it('waits between half and all of an exponentially growing ceiling', () => {
    const policy = { attempts: 5, baseDelayMs: 100 };
    expect([1, 2, 3].map((retry) => backoffDelay(retry, policy, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((retry) => backoffDelay(retry, policy, () => 1))).toEqual([100, 200, 400]);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(150);
  });

  it('caps the wait and tolerates a random source out of range', () => {
    expect(backoffDelay(20, { attempts: 3, baseDelayMs: 1000 }, () => 7)).toBe(MAX_RETRY_DELAY_MS);
    expect(backoffDelay(1, { attempts: 3, baseDelayMs: 100 }, () => -3)).toBe(50);
  });

  it('defaults to three attempts and rejects nonsense', () => {
    expect(DEFAULT_RETRY.attempts).toBe(3);
    expect(validateRetryPolicy({ attempts: 1, baseDelayMs: 0 })).toEqual({ attempts: 1, baseDelayMs: 0 });
    expect(() => validateRetryPolicy({ attempts: 0, baseDelayMs: 10 })).toThrow(/attempts/);
    expect(() => validateRetryPolicy({ attempts: 2.5, baseDelayMs: 10 })).toThrow(/attempts/);
    expect(() => validateRetryPolicy({ attempts: 3, baseDelayMs: -1 })).toThrow(/base delay/);
  });
});
