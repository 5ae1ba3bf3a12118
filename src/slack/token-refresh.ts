import { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../logger';
import { boltLogger } from './bolt-logger';
import type { SlackApi } from './slack-api';

/** A rotated bot token as oauth.v2.access hands it over. */
export interface RefreshedToken {
  token: string;
  refreshToken: string;
  /** Unix seconds, as @slack/oauth stores `bot.expiresAt`. */
  expiresAt: number;
}

/** Why a refresh failed, by Slack's error code (`invalid_refresh_token`, ...) or `unreachable`; never a token. */
export class TokenRefreshError extends Error {
  override readonly name = 'TokenRefreshError';
  constructor(readonly code: string) {
    super(
      code === 'unreachable'
        ? 'Slack could not be reached to refresh a bot token.'
        : `Slack refused to refresh a bot token (${code}).`,
    );
  }
}

export interface TokenRefresher {
  refresh(refreshToken: string): Promise<RefreshedToken>;
}

const refreshAnswer = z.object({
  token_type: z.literal('bot'),
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

/**
 * Spends a refresh token with oauth.v2.access (`grant_type=refresh_token`). Slack revokes the token
 * it is given, so this client never retries: a retry after an answer lost on the way back would be a
 * second use, and Slack would refuse it. Rate limits fail at once for the same reason.
 */
export class SlackTokenRefresher implements TokenRefresher {
  constructor(
    private readonly options: {
      clientId: string;
      clientSecret: string;
      /** Where every other Web API call goes (SLACK_API_URL) and how (the app's outbound fetch). */
      slackApi?: SlackApi;
      logger: Logger;
      now?: () => Date;
      /** Milliseconds; default 10 s, well inside the refresh claim. */
      timeoutMs?: number;
    },
  ) {}

  async refresh(refreshToken: string): Promise<RefreshedToken> {
    const { clientId, clientSecret, slackApi, logger } = this.options;
    const client = new webApi.WebClient(undefined, {
      ...slackApi,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: this.options.timeoutMs ?? 10_000,
      // The client's debug lines show request bodies with only `*token*` fields masked; the secret is not one.
      logger: boltLogger(logger, { hide: [clientSecret, refreshToken] }),
    });
    let answer: unknown;
    try {
      answer = await client.oauth.v2.access({
        client_id: clientId,
        client_secret: clientSecret,
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      });
    } catch (error) {
      // Only the code leaves here: the client's own errors can carry the request, secret included.
      throw new TokenRefreshError(error instanceof webApi.WebAPIPlatformError ? error.data.error : 'unreachable');
    }
    const parsed = refreshAnswer.safeParse(answer);
    if (!parsed.success) throw new TokenRefreshError('unexpected_answer');
    const nowSeconds = Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000);
    return {
      token: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token,
      expiresAt: nowSeconds + parsed.data.expires_in,
    };
  }
}
