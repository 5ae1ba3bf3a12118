import { HTTPReceiver } from '@slack/bolt';
import type { OAuthConfig } from '../config';
import type { Logger } from '../logger';
import type { Store } from '../store';
import { boltLogger } from './bolt-logger';
import { KeyvInstallationStore } from './installation-store';
import { oauthPaths, oauthReceiverOptions, oauthSecrets } from './oauth-receiver';
import { WorkspaceClients } from './workspace-clients';

/** The pieces OAuth mode adds: a receiver that also serves installs, the installations, and per-workspace clients. */
export interface OAuthMode {
  receiver: HTTPReceiver;
  installations: KeyvInstallationStore;
  clients: WorkspaceClients;
  /** Every path the receiver answers: events, install and redirect. */
  paths: string[];
}

export function createOAuthMode(input: {
  oauth: OAuthConfig;
  signingSecret: string;
  eventsPath: string;
  apiUrl?: string;
  store: Store;
  logger: Logger;
}): OAuthMode {
  const { oauth, store, logger } = input;
  const clients: WorkspaceClients = new WorkspaceClients({
    queryFor: (ref) => installations.queryFor(ref),
    authorize: (query) => authorize(query),
    // Retries stay well inside a digest run's claim (5 min), as with the single token's client.
    clientOptions: { slackApiUrl: input.apiUrl, retryConfig: { retries: 3, maxRetryTime: 60_000 } },
  });
  const installations = new KeyvInstallationStore({ store, logger, onChange: (ref) => clients.forget(ref) });
  const receiver = new HTTPReceiver({
    signingSecret: input.signingSecret,
    endpoints: [input.eventsPath],
    logger: boltLogger(logger, { hide: oauthSecrets(oauth), hideStates: true }),
    ...oauthReceiverOptions({
      oauth,
      installationStore: installations,
      apiUrl: input.apiUrl,
      beforeSave: (installation) => installations.reinstalled(installation),
    }),
  });
  const installer = receiver.installer;
  // Bolt builds the installer whenever client ID, secret and state secret are given; all three always are here.
  if (!installer) throw new Error('Bolt did not set up OAuth installs');
  const authorize = installer.authorize;
  return { receiver, installations, clients, paths: [input.eventsPath, ...oauthPaths(oauth)] };
}
