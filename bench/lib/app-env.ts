import type { SupportInfo } from '../processes/support';

/** A fixed key for the bench's stores: only fake keys of the emulator are ever sealed with it. */
export const BENCH_ENCRYPTION_KEY = Buffer.alloc(32, 0x42).toString('base64');

/** The app's environment in HTTP mode against the support process, with the emulator's demo org connected. */
export function appEnv(info: SupportInfo, dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: info.botToken,
    SLACK_SIGNING_SECRET: info.signingSecret,
    SLACK_API_URL: info.slackApiUrl,
    VIAM_APP_URL: info.emulatorUrl,
    VIAM_ORG_ID: info.demoOrg.orgId,
    VIAM_API_KEY_ID: info.demoOrg.apiKeyId,
    VIAM_API_KEY: info.demoOrg.apiKey,
    DATA_DIR: dataDir,
    ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
    LOG_LEVEL: 'info',
    ...extra,
  };
}
