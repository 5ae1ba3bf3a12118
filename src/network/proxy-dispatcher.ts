/**
 * An undici dispatcher that sends each request directly or through the proxy `proxyFor` names for its
 * origin. undici's own EnvHttpProxyAgent does the same but with its own reading of NO_PROXY (no address
 * ranges), and gRPC must follow the very same rules (grpc-route.ts), so the choice is made in one place.
 * A proxied request always tunnels with CONNECT: TLS to Slack runs end to end inside it.
 */
import { Agent, Dispatcher, ProxyAgent } from 'undici';
import { type ProxySettings, proxyFor } from './proxy-settings';

/** Kept-alive sockets are closed after this long unused, below the 60 s or so load balancers allow. */
const KEEP_ALIVE_TIMEOUT_MS = 30_000;

export class ProxyRoutingDispatcher extends Dispatcher {
  private readonly direct = new Agent({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
  private readonly proxied = new Map<string, ProxyAgent>();

  constructor(private readonly settings: ProxySettings) {
    super();
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = new URL(String(options.origin));
    const proxy = proxyFor(this.settings, origin);
    return (proxy ? this.agentFor(proxy) : this.direct).dispatch(options, handler);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | undefined {
    const closed = Promise.all(this.agents().map((agent) => agent.close())).then(() => undefined);
    if (!callback) return closed;
    void closed.then(callback, callback);
    return undefined;
  }

  override destroy(): Promise<void>;
  override destroy(error: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(error: Error | null, callback: () => void): void;
  override destroy(first?: Error | null | (() => void), second?: () => void): Promise<void> | undefined {
    const error = typeof first === 'function' ? null : (first ?? null);
    const callback = typeof first === 'function' ? first : second;
    const destroyed = Promise.all([this.direct, ...this.proxied.values()].map((agent) => agent.destroy(error))).then(
      () => undefined,
    );
    if (!callback) return destroyed;
    void destroyed.then(callback, callback);
    return undefined;
  }

  private agents(): Dispatcher[] {
    return [this.direct, ...this.proxied.values()];
  }

  private agentFor(proxy: URL): ProxyAgent {
    let agent = this.proxied.get(proxy.href);
    if (!agent) {
      // undici turns the URL's user:password into Proxy-Authorization itself.
      agent = new ProxyAgent({ uri: proxy.href, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS });
      this.proxied.set(proxy.href, agent);
    }
    return agent;
  }
}
