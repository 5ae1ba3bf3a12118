/**
 * Every outbound connection the app opens, built once from the proxy settings: the fetch Slack's Web
 * API clients use (also for Socket Mode's connections.open), the dispatcher behind it (Socket Mode's
 * WebSocket, answers at response URLs, file bytes to the upload host). Viam's gRPC channel takes the
 * same settings (src/network/grpc-route.ts). With no proxy set everything connects directly through
 * the same objects.
 */
import { fetch as undiciFetch } from 'undici';
import { ProxyRoutingDispatcher } from './proxy-dispatcher';
import { NO_PROXY, type ProxySettings } from './proxy-settings';

export interface Outbound {
  readonly settings: ProxySettings;
  readonly dispatcher: ProxyRoutingDispatcher;
  /** For WebClient's `fetch` option: undici's fetch over `dispatcher`. */
  readonly fetch: typeof globalThis.fetch;
  /** Closes kept-alive sockets (at shutdown). */
  close(): Promise<void>;
}

export function createOutbound(settings: ProxySettings = NO_PROXY): Outbound {
  const dispatcher = new ProxyRoutingDispatcher(settings);
  const fetchThrough = ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) =>
    undiciFetch(input, { ...init, dispatcher })) as unknown as typeof globalThis.fetch;
  return {
    settings,
    dispatcher,
    fetch: fetchThrough,
    close: () => dispatcher.close(),
  };
}
