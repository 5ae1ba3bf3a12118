import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiver, HTTPReceiverOptions, Installation, InstallationStore } from '@slack/bolt';
import type { OAuthConfig } from '../config';
import { BOT_SCOPES } from './scopes';
import type { SlackApi } from './slack-api';

/**
 * The part of Bolt's HTTPReceiver options that turns on OAuth installs: `/slack/install` sends the
 * installer straight to Slack's consent page with a signed state (and the same state in a cookie),
 * and `/slack/oauth_redirect` checks both, exchanges the code with oauth.v2.access and saves the
 * installation. Bolt's own success and failure pages answer the browser.
 *
 * These options go to a receiver of their own that serves only those two pages. Bolt's App refuses
 * an `authorize` of ours next to a receiver with installs turned on, and it needs ours (see
 * authorize.ts), so events arrive through a second receiver without them.
 */
export function oauthReceiverOptions(input: {
  oauth: OAuthConfig;
  installationStore: InstallationStore;
  /** SLACK_API_URL and the outbound fetch, so the code exchange goes where and how every other Web API call goes. */
  slackApi?: SlackApi;
  /** Runs after the code exchange and before the installation is saved: a reinstall lifts the uninstall tombstone here. */
  beforeSave?: (installation: Installation<'v1' | 'v2', boolean>) => Promise<void>;
}): Pick<
  HTTPReceiverOptions,
  'clientId' | 'clientSecret' | 'stateSecret' | 'redirectUri' | 'installationStore' | 'scopes' | 'installerOptions'
> {
  const { oauth } = input;
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    ...(oauth.redirectUri ? { redirectUri: oauth.redirectUri } : {}),
    installationStore: input.installationStore,
    scopes: [...BOT_SCOPES],
    installerOptions: {
      installPath: oauth.installPath,
      // Bolt insists on both or neither of redirectUri and redirectUriPath.
      ...(oauth.redirectUri ? { redirectUriPath: oauth.redirectUriPath } : {}),
      directInstall: true,
      ...(input.slackApi ? { clientOptions: { ...input.slackApi } } : {}),
      ...(input.beforeSave
        ? {
            callbackOptions: {
              afterInstallation: async (installation: Installation<'v1' | 'v2', boolean>) => {
                await input.beforeSave?.(installation);
                return true;
              },
            },
          }
        : {}),
    },
  };
}

/**
 * Values Bolt's OAuth code could write into a debug line (the Web API client logs request bodies,
 * masking only token fields): the receiver's logger hides them.
 */
export function oauthSecrets(oauth: OAuthConfig): string[] {
  return [oauth.clientSecret, oauth.stateSecret];
}

/** The paths our HTTP server hands to Bolt's receiver in OAuth mode, besides the events path. */
export function oauthPaths(oauth: OAuthConfig): string[] {
  return [oauth.installPath, oauth.redirectUriPath];
}

/**
 * Sends the install and redirect paths to the receiver that serves installs, and everything else
 * (Slack's events, commands and interactions) to the one Bolt's App listens on.
 */
export function oauthRequestListener(input: {
  oauth: OAuthConfig;
  installs: HTTPReceiver;
  events: HTTPReceiver;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const installPaths = new Set(oauthPaths(input.oauth));
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const receiver = installPaths.has(path) ? input.installs : input.events;
    receiver.requestListener(req, res);
  };
}
