import type { Logger } from '../logger';
import type { WorkspaceRef } from '../store';
import type { AppServices } from './app-services';

/**
 * Who is changing a workspace's settings, from where: enough for a change to be made, logged and
 * written to the audit trail the same way from a slash command and from a Home tab form. A
 * SlackRequest is one.
 */
export interface SettingsActor {
  ref: WorkspaceRef;
  userId: string;
  logger: Logger;
  services: Pick<AppServices, 'store' | 'audit' | 'budgets' | 'now'> & {
    digests: Pick<AppServices['digests'], 'schedules'>;
  };
}
