import {
  renderChannelProblem,
  renderScheduleList,
  renderScheduleSet,
  type ScheduleRow,
} from '../../blocks/digest-schedules';
import { errorNotice, infoNotice } from '../../blocks/notices';
import { nextOccurrence } from '../../digest/occurrences';
import { parseScheduleWords } from '../../digest/schedule-input';
import type { DigestSchedule } from '../../digest/schedules';
import { channelProblem, isChannelId, saveDigestSchedule, stopDigest } from '../../services/digest-settings';
import { authorizeManagement, openOrgForViewing, pickOrg } from '../org-access';
import type { SlackRequest } from '../request';
import type { ParsedCommand } from './parse';

type DigestCommand = Extract<ParsedCommand, { kind: 'digest' }>;

/** `/viam-usage digest …`: weekly digests per channel; setting, stopping and previewing need admin or connector rights. */
export async function manageDigest(request: SlackRequest, command: DigestCommand): Promise<void> {
  if (command.action === 'list') return listDigests(request);
  const allowed = await authorizeManagement(request);
  if (!allowed) return;
  const { workspace, facts } = allowed;
  const { digests } = request.services;

  if (command.action === 'off') {
    const removed = await stopDigest(request, command.channelId);
    await request.reply(
      infoNotice(
        removed
          ? `The weekly Viam digest in <#${command.channelId}> is off.`
          : `There was no weekly digest in <#${command.channelId}>.`,
      ),
    );
    return;
  }

  if (command.action === 'now') {
    const channelId = command.channelId ?? request.channelId;
    if (!channelId) return request.reply(errorNotice('Say which channel, e.g. `/viam-usage digest now #billing`.'));
    if (!(await pickOrg(request, workspace, command.org))) return;
    // A DM with the app (where `digest now` may be typed) is always open to it and not a channel to check.
    const problem = isChannelId(channelId) ? await channelProblem(request.client, channelId) : undefined;
    if (problem) return request.reply(renderChannelProblem(channelId, problem));
    const outcome = await digests.scheduler.runNow(request.ref, channelId, {
      orgLabel: command.org,
      timeZone: facts.timeZone,
    });
    if (outcome.status === 'posted') return request.reply(infoNotice(`Posted a Viam digest in <#${channelId}>.`));
    // The runner's sentences complete "…could not be prepared: "; here they need a start of their own.
    const reason = outcome.sentence.trim().replace(/\.$/, '');
    return request.reply(
      renderChannelProblem(channelId, `No digest was posted in {channel}: ${reason}.`, request.requestId),
    );
  }

  const org = await pickOrg(request, workspace, command.org);
  if (!org) return;
  const parsed = parseScheduleWords(command.scheduleWords, facts.timeZone ?? workspace.preferences.timeZone ?? 'UTC');
  if (!parsed.ok) return request.reply(errorNotice(parsed.problem));

  const problem = await channelProblem(request.client, command.channelId);
  if (problem) return request.reply(renderChannelProblem(command.channelId, problem));

  const schedule = await saveDigestSchedule(request, {
    ...parsed.value,
    channelId: command.channelId,
    orgLabel: org.label,
  });
  await request.reply(renderScheduleSet(row(schedule, request.services.now())));
}

async function listDigests(request: SlackRequest): Promise<void> {
  const opened = await openOrgForViewing(request, undefined);
  if (!opened) return;
  const schedules = await request.services.digests.schedules.listFor(request.ref);
  const now = request.services.now();
  await request.reply(renderScheduleList(schedules.map((schedule) => row(schedule, now))));
}

function row(schedule: DigestSchedule, now: Date): ScheduleRow {
  return { ...schedule, nextRun: nextOccurrence(schedule, now).at };
}
