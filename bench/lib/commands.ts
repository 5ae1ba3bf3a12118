/**
 * Slash commands as Slack sends them: form-encoded, signed with the signing secret, one fresh
 * connection each, and `concurrency` of them in flight at once.
 */
import { SEED, type SignedResponse, sendSlashCommand } from '../../dev/slack-stand-in';
import { eachConcurrently } from './concurrency';

export interface CommandTarget {
  appUrl: string;
  signingSecret: string;
}

/** Two users who may see billing (the owner and an admin), taking turns, as a busy finance channel would. */
const USERS = [SEED.users.ada, SEED.users.grace];

export function sendCommand(target: CommandTarget, responseUrl: string, index: number): Promise<SignedResponse> {
  return sendSlashCommand({
    appUrl: target.appUrl,
    signingSecret: target.signingSecret,
    team: SEED.team.id,
    user: USERS[index % USERS.length] as string,
    channel: SEED.channels.billing,
    text: '',
    responseUrl,
  });
}

/** Sends one `/viam-usage` per response URL, `concurrency` at a time; resolves to each ack's milliseconds. */
export async function sendCommands(
  target: CommandTarget,
  responseUrls: readonly string[],
  concurrency: number,
): Promise<number[]> {
  const ackMs: number[] = new Array(responseUrls.length);
  await eachConcurrently(responseUrls.length, concurrency, async (index) => {
    const ack = await sendCommand(target, responseUrls[index] as string, index);
    if (ack.status !== 200) throw new Error(`the app answered a command with HTTP ${ack.status}: ${ack.body}`);
    ackMs[index] = ack.ackMs;
  });
  return ackMs;
}

/** Waits until `count` answers reached response URLs (or throws after `timeoutMs`). */
export async function waitForAnswers(
  counts: () => Promise<{ accepted: number; errors: number }>,
  count: number,
  timeoutMs = 60_000,
): Promise<{ accepted: number; errors: number }> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const seen = await counts();
    if (seen.accepted >= count) return seen;
    if (performance.now() > deadline) {
      throw new Error(`only ${seen.accepted} of ${count} answers reached their response URLs`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
