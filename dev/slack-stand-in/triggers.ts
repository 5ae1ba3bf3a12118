import type { Clock } from './clock';
import type { IdFactory } from './ids';

/** Slack gives an app 3 seconds to use a trigger id, and only once. */
export const TRIGGER_LIFETIME_MS = 3000;

export type TriggerCheck = 'ok' | 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id';

interface IssuedTrigger {
  issuedAt: number;
  used: boolean;
  /** The modal the user was in when the trigger was made (a submit or a button in a modal); views.push stacks on it. */
  viewId?: string;
}

export class TriggerIds {
  private readonly issued = new Map<string, IssuedTrigger>();

  constructor(
    private readonly ids: IdFactory,
    private readonly clock: Clock,
  ) {}

  issue(context: { viewId?: string } = {}): string {
    const id = this.ids.triggerId(this.clock.now());
    this.issued.set(id, { issuedAt: this.clock.now(), used: false, viewId: context.viewId });
    return id;
  }

  /** Checks and, when valid, uses up the trigger id. */
  redeem(triggerId: unknown): { check: TriggerCheck; viewId?: string } {
    const trigger = typeof triggerId === 'string' ? this.issued.get(triggerId) : undefined;
    if (!trigger) return { check: 'invalid_trigger_id' };
    if (trigger.used) return { check: 'exchanged_trigger_id' };
    if (this.clock.now() - trigger.issuedAt >= TRIGGER_LIFETIME_MS) return { check: 'expired_trigger_id' };
    trigger.used = true;
    return { check: 'ok', viewId: trigger.viewId };
  }
}
