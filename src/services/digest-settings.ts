import { webApi } from '@slack/bolt';
import { recordQuietly } from '../audit/trail';
import type { DigestSchedule } from '../digest/schedules';
import type { WeeklyTime } from '../digest/weekly-time';
import type { SettingsActor } from './settings-actor';

/**
 * Setting and stopping weekly digests, shared by `/viam-usage digest` and the Home tab's digest form:
 * the store change, its log line and its audit entry always go together.
 */
export async function saveDigestSchedule(
  actor: SettingsActor,
  input: WeeklyTime & { channelId: string; orgLabel: string },
): Promise<DigestSchedule> {
  const schedule = await actor.services.digests.schedules.set(actor.ref, {
    ...input,
    createdBy: actor.userId,
    createdAt: actor.services.now().toISOString(),
  });
  actor.logger.info({ channel: input.channelId, weekday: schedule.weekday, time: schedule.time }, 'digest scheduled');
  await recordQuietly(
    actor.services.audit,
    actor.ref,
    {
      action: 'digest.set',
      actor: actor.userId,
      channel: input.channelId,
      org: input.orgLabel,
      schedule: `${schedule.weekday} ${schedule.time} ${schedule.timeZone}`,
    },
    actor.logger,
  );
  return schedule;
}

/** True when the channel had a digest, which is now stopped (and audited). */
export async function stopDigest(actor: SettingsActor, channelId: string): Promise<boolean> {
  const removed = await actor.services.digests.schedules.remove(actor.ref, channelId);
  if (removed) {
    await recordQuietly(
      actor.services.audit,
      actor.ref,
      { action: 'digest.stopped', actor: actor.userId, channel: channelId },
      actor.logger,
    );
  }
  return removed;
}

/** Public (C…) and private (G…) channels; a DM with the app (D…) is not a channel to check or join. */
export function isChannelId(channelId: string): boolean {
  return /^[CG]/.test(channelId);
}

/**
 * Says at setup time, not on the first Monday, when the bot could not post in the channel. Public
 * channels are joined (scope channels:join); private ones need an invitation. The answer is plain
 * text with a `{channel}` placeholder for the caller to fill in.
 */
export async function channelProblem(client: webApi.WebClient, channelId: string): Promise<string | undefined> {
  try {
    const info = await client.conversations.info({ channel: channelId });
    const channel = info.channel;
    if (channel?.is_archived) return '{channel} is archived; pick another channel.';
    if (channel?.is_member) return undefined;
    if (channel?.is_private) {
      return 'I am not in {channel}. Invite me there with `/invite @viam-billing`, then try again.';
    }
    await client.conversations.join({ channel: channelId });
    return undefined;
  } catch (error) {
    const code = error instanceof webApi.WebAPIPlatformError ? error.data.error : undefined;
    if (code === 'channel_not_found') {
      return 'I cannot see {channel}. If it is private, invite me with `/invite @viam-billing` first.';
    }
    throw error;
  }
}
