/**
 * Driving the App Home through the local stack: opening the tab with a signed `app_home_opened`
 * event, pressing its buttons and submitting its forms as Slack sends them, and reading back what
 * the app published or opened from the Slack stand-in's call log.
 */
import type { LocalStack } from '../../dev/local-stack';
import { appHomeOpenedEvent, type RecordedCall, sendBlockAction, sendEvent } from '../../dev/slack-stand-in';
import { ACCESS_FORM, BUDGET_FORM, DIGEST_FORM, SHARE_PDF_FORM } from '../../src/blocks/ids';
import { homeBillingCache } from '../../src/home/org-billing';
import { ackJson, SEED } from '../support/stack';

export const TEAM = { teamId: SEED.team.id };

export interface ViewJson {
  type: string;
  callback_id?: string;
  private_metadata?: string;
  title?: { text: string };
  blocks: Record<string, unknown>[];
}

function lastSeq(stack: LocalStack): number {
  return stack.slack.calls().at(-1)?.seq ?? 0;
}

async function nextCall(stack: LocalStack, after: number, method: string, user?: string): Promise<RecordedCall> {
  return stack.slack.waitForCall(
    method,
    (call) => call.seq > after && (user === undefined || call.args.user_id === user),
    10_000,
  );
}

/** Opens the user's Home tab and returns the view the app published in answer. */
export async function openHome(stack: LocalStack, user: string): Promise<ViewJson> {
  const after = lastSeq(stack);
  const ack = await sendEvent({
    appUrl: stack.appUrl,
    signingSecret: stack.slack.app.signingSecret,
    team: SEED.team.id,
    event: appHomeOpenedEvent({ user, channel: `D0${user.slice(2, 10)}` }),
  });
  if (ack.status !== 200) throw new Error(`the app answered the event with ${ack.status}`);
  const call = await nextCall(stack, after, 'views.publish', user);
  if (!call.ok) throw new Error(`views.publish failed: ${call.error}`);
  return call.args.view as ViewJson;
}

/** Waits for the Home tab the app publishes for `user` after something happened at `after`. */
export async function republishedHome(stack: LocalStack, after: number, user: string): Promise<ViewJson> {
  const call = await nextCall(stack, after, 'views.publish', user);
  if (!call.ok) throw new Error(`views.publish failed: ${call.error}`);
  return call.args.view as ViewJson;
}

export interface Press {
  /** Sequence number of the stand-in's last call before the press, for waiting on what follows. */
  after: number;
  ackStatus: number;
}

/** Presses a button of the Home tab as `user`, with a fresh trigger ID, as Slack sends it. */
export async function pressHome(stack: LocalStack, user: string, actionId: string, value: string): Promise<Press> {
  const after = lastSeq(stack);
  const ack = await sendBlockAction({
    appUrl: stack.appUrl,
    signingSecret: stack.slack.app.signingSecret,
    team: SEED.team.id,
    user,
    actions: [{ action_id: actionId, value }],
    triggerId: stack.slack.triggerId(),
    view: { id: stack.slack.homeView(user)?.id ?? 'V0HOMETAB', type: 'home' },
  });
  return { after, ackStatus: ack.status };
}

/** The modal the app opened after a press. */
export async function openedModal(stack: LocalStack, press: Press): Promise<ViewJson> {
  const call = await nextCall(stack, press.after, 'views.open');
  if (!call.ok) throw new Error(`views.open failed: ${call.error}`);
  return call.args.view as ViewJson;
}

/** Submits a Home form as `user`; returns the ack's JSON and the call log position before it. */
export async function submitForm(
  stack: LocalStack,
  callbackId: string,
  values: Record<string, Record<string, unknown>>,
  options: { user: string; privateMetadata?: string },
): Promise<{ json: Record<string, unknown>; status: number; after: number }> {
  const after = lastSeq(stack);
  const response = await stack.submitView(callbackId, values, options);
  return { json: ackJson(response.body), status: response.status, after };
}

/**
 * Every settings change of a test undone: only the `default` org (the emulator's demo org, connected
 * by the app from the environment), no viewers, digests or budgets, no cached reads.
 */
export async function resetHomeState(stack: LocalStack): Promise<void> {
  const { store, digests, budgets } = stack.app.services;
  homeBillingCache(stack.app.services, stack.app.services.now).clear();
  const demo = stack.emulator.orgs[0];
  if (demo && !(await store.workspaces.get(TEAM)).orgs.some((org) => org.label === 'default')) {
    await store.workspaces.connectOrg(TEAM, {
      label: 'default',
      orgId: demo.orgId,
      apiKey: { id: demo.apiKeyId, key: demo.apiKey },
      connectedBy: SEED.botUserId,
    });
  }
  const workspace = await store.workspaces.get(TEAM);
  for (const org of workspace.orgs) {
    await budgets.remove(TEAM, org.orgId);
    if (org.label !== 'default') await store.workspaces.disconnectOrg(TEAM, org.label);
  }
  for (const viewer of workspace.viewers) await store.workspaces.revokeViewer(TEAM, viewer);
  for (const schedule of await digests.schedules.listFor(TEAM))
    await digests.schedules.remove(TEAM, schedule.channelId);
  const random = stack.slack.workspace.channel(SEED.channels.random);
  if (random?.members.includes(SEED.botUserId)) stack.slack.workspace.removeChannelMember(random.id, SEED.botUserId);
}

/** Connects the emulator's second org (Rivet Farms) as `farms`, connected by `by`. */
export async function connectFarms(stack: LocalStack, by: string = SEED.users.ada) {
  const rivet = stack.emulator.orgs[1];
  if (!rivet) throw new Error('the emulator fixture has no second org');
  await stack.app.services.store.workspaces.connectOrg(TEAM, {
    label: 'farms',
    orgId: rivet.orgId,
    apiKey: { id: rivet.apiKeyId, key: rivet.apiKey },
    connectedBy: by,
  });
  return rivet;
}

// ---- form values as Slack sends them ----

const option = (value: string) => ({ text: { type: 'plain_text', text: value }, value });

export function digestValues(input: {
  channel?: string;
  org?: string;
  weekday?: string;
  time?: string;
  timeZone?: string;
  stop?: string[];
}): Record<string, Record<string, unknown>> {
  return {
    [DIGEST_FORM.channel.block]: {
      [DIGEST_FORM.channel.action]: { type: 'conversations_select', selected_conversation: input.channel ?? null },
    },
    [DIGEST_FORM.org.block]: {
      [DIGEST_FORM.org.action]: { type: 'static_select', selected_option: input.org ? option(input.org) : null },
    },
    [DIGEST_FORM.weekday.block]: {
      [DIGEST_FORM.weekday.action]: {
        type: 'static_select',
        selected_option: input.weekday ? option(input.weekday) : null,
      },
    },
    [DIGEST_FORM.time.block]: { [DIGEST_FORM.time.action]: { type: 'timepicker', selected_time: input.time ?? null } },
    [DIGEST_FORM.timeZone.block]: {
      [DIGEST_FORM.timeZone.action]: { type: 'plain_text_input', value: input.timeZone ?? null },
    },
    [DIGEST_FORM.stop.block]: {
      [DIGEST_FORM.stop.action]: { type: 'multi_conversations_select', selected_conversations: input.stop ?? [] },
    },
  };
}

export function budgetValues(input: {
  amount?: string;
  channel?: string;
  remove?: boolean;
}): Record<string, Record<string, unknown>> {
  return {
    [BUDGET_FORM.amount.block]: {
      [BUDGET_FORM.amount.action]: { type: 'plain_text_input', value: input.amount ?? null },
    },
    [BUDGET_FORM.channel.block]: {
      [BUDGET_FORM.channel.action]: { type: 'conversations_select', selected_conversation: input.channel ?? null },
    },
    [BUDGET_FORM.remove.block]: {
      [BUDGET_FORM.remove.action]: { type: 'checkboxes', selected_options: input.remove ? [option('remove')] : [] },
    },
  };
}

export function accessValues(users: string[]): Record<string, Record<string, unknown>> {
  return {
    [ACCESS_FORM.viewers.block]: {
      [ACCESS_FORM.viewers.action]: { type: 'multi_users_select', selected_users: users },
    },
  };
}

export function shareValues(channel?: string): Record<string, Record<string, unknown>> {
  return {
    [SHARE_PDF_FORM.channel.block]: {
      [SHARE_PDF_FORM.channel.action]: { type: 'conversations_select', selected_conversation: channel ?? null },
    },
  };
}

/** The input blocks of a modal by block ID. */
export function inputsOf(view: ViewJson): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    view.blocks
      .filter((block) => block.type === 'input')
      .map((block) => [block.block_id as string, block.element as Record<string, unknown>]),
  );
}
