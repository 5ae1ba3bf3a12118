import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPReceiver } from '@slack/bolt';
import type { OAuthConfig } from '../config';
import type { Logger } from '../logger';
import type { Store } from '../store';
import { type InstallationAuthorize, installationAuthorize } from './authorize';
import { boltLogger } from './bolt-logger';
import { KeyvInstallationStore } from './installation-store';
import { oauthPaths, oauthReceiverOptions, oauthRequestListener, oauthSecrets } from './oauth-receiver';
import { receiverErrorHandling } from './receiver-errors';
import { TokenRefreshCoordinator } from './refresh-coordinator';
import type { SlackApi } from './slack-api';
import { SlackTokenRefresher } from './token-refresh';
import { WorkspaceClients } from './workspace-clients';

/** The pieces OAuth mode adds: receivers for events and installs, Bolt's authorize, the installations, per-workspace clients. */
export interface OAuthMode {
  /** The receiver Bolt's App listens on (events, commands, interactions). */
  receiver: HTTPReceiver;
  /** For Bolt's App: each workspace's installation, its rotating token refreshed once across replicas. */
  authorize: InstallationAuthorize;
  installations: KeyvInstallationStore;
  clients: WorkspaceClients;
  /** Every path OAuth mode answers: events, install and redirect. */
  paths: string[];
  /** Answers every one of `paths`. */
  requestListener: (req: IncomingMessage, res: ServerResponse) => void;
}

export function createOAuthMode(input: {
  oauth: OAuthConfig;
  signingSecret: string;
  eventsPath: string;
  /** Where Slack's Web API is and how to reach it, as for every other client of the app. */
  slackApi?: SlackApi;
  store: Store;
  logger: Logger;
  now?: () => Date;
}): OAuthMode {
  const { oauth, store, logger } = input;
  const clients: WorkspaceClients = new WorkspaceClients({
    queryFor: (ref) => installations.queryFor(ref),
    authorize: (query) => authorize(query),
    // Retries stay well inside a digest run's claim (5 min), as with the single token's client.
    clientOptions: { ...input.slackApi, retryConfig: { retries: 3, maxRetryTime: 60_000 } },
  });
  const installations = new KeyvInstallationStore({ store, logger, onChange: (ref) => clients.forget(ref) });
  const refreshes = new TokenRefreshCoordinator({
    claims: store.claims,
    installations,
    refresher: new SlackTokenRefresher({
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      slackApi: input.slackApi,
      logger,
      now: input.now,
    }),
    logger,
    now: input.now,
  });
  const authorize = installationAuthorize({ installations, refreshes });
  const receiverLogger = boltLogger(logger, { hide: oauthSecrets(oauth), hideStates: true });
  const receiver = new HTTPReceiver({
    signingSecret: input.signingSecret,
    endpoints: [input.eventsPath],
    logger: receiverLogger,
    ...receiverErrorHandling(logger),
  });
  const installs = new HTTPReceiver({
    signingSecret: input.signingSecret,
    endpoints: [],
    logger: receiverLogger,
    ...oauthReceiverOptions({
      oauth,
      installationStore: installations,
      slackApi: input.slackApi,
      beforeSave: (installation) => installations.reinstalled(installation),
    }),
  });
  // Bolt builds the installer whenever client ID, secret and state secret are given; all three always are here.
  if (!installs.installer) throw new Error('Bolt did not set up OAuth installs');
  return {
    receiver,
    authorize,
    installations,
    clients,
    paths: [input.eventsPath, ...oauthPaths(oauth)],
    requestListener: oauthRequestListener({ oauth, installs, events: receiver }),
  };
}
