import { validateView } from '../block-kit';
import type { StandInView } from '../view-store';
import type { BotCall, MethodAnswer, MethodSpec } from './context';
import { blockErrors, fail, jsonArg, ok, stringArg } from './context';
import { viewJson } from './serialize';

/** Slack keeps at most three modals on a stack. */
const MAX_STACK_DEPTH = 3;

export const viewMethods: Record<string, MethodSpec> = {
  'views.open': { auth: 'bot', handle: viewsOpen },
  'views.push': { auth: 'bot', handle: viewsPush },
  'views.update': { auth: 'bot', handle: viewsUpdate },
  'views.publish': { auth: 'bot', handle: viewsPublish },
};

type ViewInput = { view: Record<string, unknown> } | { error: MethodAnswer };

function viewsOpen(call: BotCall): MethodAnswer {
  const input = readView(call.args, 'modal');
  if ('error' in input) return input.error;
  const trigger = call.state.triggers.redeem(call.args.trigger_id);
  if (trigger.check !== 'ok') return fail(trigger.check);
  return answer(call, saveNew(call, input.view, undefined));
}

function viewsPush(call: BotCall): MethodAnswer {
  const input = readView(call.args, 'modal');
  if ('error' in input) return input.error;
  const trigger = call.state.triggers.redeem(call.args.trigger_id);
  if (trigger.check !== 'ok') return fail(trigger.check);
  const previous = trigger.viewId ? call.state.views.byId(trigger.viewId) : undefined;
  if (previous && call.state.views.stackDepth(previous.id) >= MAX_STACK_DEPTH) return fail('push_limit_reached');
  return answer(call, saveNew(call, input.view, previous));
}

function viewsUpdate(call: BotCall): MethodAnswer {
  const { team, args, state } = call;
  const viewId = stringArg(args, 'view_id');
  const externalId = stringArg(args, 'external_id');
  if (!viewId && !externalId) return fail('invalid_arguments');
  const stored = viewId ? state.views.byId(viewId) : state.views.byExternalId(team.id, externalId ?? '');
  if (!stored || stored.teamId !== team.id) return fail('not_found');
  const input = readView(args, stored.type);
  if ('error' in input) return input.error;
  const hash = stringArg(args, 'hash');
  if (hash !== undefined && hash !== stored.hash) return fail('hash_conflict');
  return answer(call, replace(call, stored, input.view));
}

function viewsPublish(call: BotCall): MethodAnswer {
  const { team, args, state } = call;
  const userId = stringArg(args, 'user_id');
  if (!userId) return fail('invalid_arguments');
  const user = state.workspaces.user(userId);
  if (!user || user.teamId !== team.id) return fail('user_not_found');
  const input = readView(args, 'home');
  if ('error' in input) return input.error;
  const existing = state.views.homeOf(team.id, userId);
  const hash = stringArg(args, 'hash');
  if (existing && hash !== undefined && hash !== existing.hash) return fail('hash_conflict');
  if (existing) return answer(call, replace(call, existing, input.view));
  const stored = state.views.save({
    id: state.ids.next('V'),
    teamId: team.id,
    type: 'home',
    userId,
    view: input.view,
    hash: newHash(call),
    rootViewId: '',
    externalId: stringArg(input.view, 'external_id'),
    updates: 0,
  });
  stored.rootViewId = stored.id;
  return answer(call, stored);
}

function readView(args: Record<string, unknown>, expected: 'modal' | 'home'): ViewInput {
  const parsed = jsonArg(args, 'view');
  if ('malformed' in parsed || typeof parsed.value !== 'object' || parsed.value === null) {
    return { error: fail('invalid_arguments') };
  }
  const problems = validateView(parsed.value, expected);
  if (problems.length > 0) return { error: fail('invalid_arguments', blockErrors(problems)) };
  return { view: parsed.value as Record<string, unknown> };
}

function saveNew(call: BotCall, view: Record<string, unknown>, previous: StandInView | undefined): StandInView {
  const id = call.state.ids.next('V');
  return call.state.views.save({
    id,
    teamId: call.team.id,
    type: 'modal',
    view,
    hash: newHash(call),
    rootViewId: previous?.rootViewId ?? id,
    previousViewId: previous?.id,
    externalId: stringArg(view, 'external_id'),
    updates: 0,
  });
}

function replace(call: BotCall, stored: StandInView, view: Record<string, unknown>): StandInView {
  stored.view = view;
  stored.hash = newHash(call);
  stored.externalId = stringArg(view, 'external_id') ?? stored.externalId;
  stored.updates += 1;
  return stored;
}

function answer(call: BotCall, stored: StandInView): MethodAnswer {
  return ok({ view: viewJson(stored, call.team, call.state.app.appId) });
}

/** Slack's view hashes look like `1569362015.55b5e41b`; they change on every update. */
function newHash(call: BotCall): string {
  const n = call.state.ids.count('view-hash');
  return `${Math.floor(call.state.clock.now() / 1000)}.${n.toString(16).padStart(8, '0')}`;
}
