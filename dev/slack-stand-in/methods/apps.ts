import type { MethodCall, MethodSpec } from './context';
import { ok } from './context';

export const appMethods: Record<string, MethodSpec> = {
  'apps.connections.open': { auth: 'app', handle: connectionsOpen },
};

/** Hands out a one-time WebSocket URL on this server, as Slack hands out a `wss://` one. */
function connectionsOpen({ state }: MethodCall) {
  return ok({ url: state.socketMode.connectionUrl(state.origin) });
}
