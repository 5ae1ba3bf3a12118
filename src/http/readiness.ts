/**
 * `/readyz`: can this replica do its work? The store must answer and Slack must accept the bot
 * token. A load balancer polls this every few seconds, so Slack's answer is kept for a while (an
 * auth.test per poll per replica would eat into the Web API rate limit); the store ping is cheap
 * and always fresh. A failed Slack check is not kept, so a replica is back in rotation as soon as
 * Slack is.
 */

export type CheckResult = 'ok' | 'failed';

export interface ReadinessReport {
  ready: boolean;
  checks: { store: CheckResult; slack: CheckResult };
}

export interface ReadinessOptions {
  /** Resolves when the store answers (Store.ping). */
  pingStore: () => Promise<void>;
  /** Resolves when Slack accepts the token (a Web API auth.test). */
  pingSlack: () => Promise<void>;
  /** How long a successful Slack check is trusted. Default 30 s. */
  slackCacheMs?: number;
  /** Monotonic milliseconds; injected by tests. Default performance.now. */
  clock?: () => number;
  /** Told why a check failed (never with secrets: the callers' errors name codes only). */
  onFailure?: (check: 'store' | 'slack', error: unknown) => void;
}

export const DEFAULT_SLACK_CACHE_MS = 30_000;

export class Readiness {
  private readonly slackCacheMs: number;
  private readonly clock: () => number;
  private slackOkUntil = Number.NEGATIVE_INFINITY;
  /** Polls arriving while Slack is being asked share the one question. */
  private slackCheck: Promise<CheckResult> | undefined;

  constructor(private readonly options: ReadinessOptions) {
    this.slackCacheMs = options.slackCacheMs ?? DEFAULT_SLACK_CACHE_MS;
    this.clock = options.clock ?? (() => performance.now());
  }

  async check(): Promise<ReadinessReport> {
    const [store, slack] = await Promise.all([this.checkStore(), this.checkSlack()]);
    return { ready: store === 'ok' && slack === 'ok', checks: { store, slack } };
  }

  private async checkStore(): Promise<CheckResult> {
    try {
      await this.options.pingStore();
      return 'ok';
    } catch (error) {
      this.options.onFailure?.('store', error);
      return 'failed';
    }
  }

  private checkSlack(): Promise<CheckResult> {
    if (this.clock() < this.slackOkUntil) return Promise.resolve('ok');
    this.slackCheck ??= this.askSlack().finally(() => {
      this.slackCheck = undefined;
    });
    return this.slackCheck;
  }

  private async askSlack(): Promise<CheckResult> {
    try {
      await this.options.pingSlack();
      this.slackOkUntil = this.clock() + this.slackCacheMs;
      return 'ok';
    } catch (error) {
      this.options.onFailure?.('slack', error);
      return 'failed';
    }
  }
}
