/**
 * The proxy settings of a company network, read once from the environment: HTTPS_PROXY, HTTP_PROXY and
 * NO_PROXY in upper or lower case. Every outbound connection (Slack's Web API, response URLs, the upload
 * host, Socket Mode and Viam's gRPC) asks `proxyFor` where to go, so all of them agree on one reading,
 * which neither grpc-js (lower case only, untrimmed NO_PROXY) nor Node 20's fetch (none) would give.
 */
import { BlockList, isIP } from 'node:net';

export interface ProxySettings {
  /** For https://, wss:// and TLS gRPC targets; falls back to `httpProxy` when unset. */
  readonly httpsProxy?: URL;
  /** For http:// and ws:// targets (plaintext, allowed only on loopback, so rarely proxied). */
  readonly httpProxy?: URL;
  /** Targets that are reached directly (NO_PROXY). */
  readonly noProxy: NoProxyList;
}

/** A target as the routing sees it: a URL's protocol, host name (without brackets) and port. */
export interface ProxyTarget {
  protocol: string;
  hostname: string;
  port: string;
}

export class ProxySettingsError extends Error {
  override readonly name = 'ProxySettingsError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export const NO_PROXY: ProxySettings = Object.freeze({ noProxy: parseNoProxy('') });

/**
 * Reads the proxy variables. Lower case wins over upper case when both are set, as in curl and undici.
 * Throws with one sentence per bad variable; a sentence never repeats the URL, which may hold a password.
 */
export function readProxySettings(env: NodeJS.ProcessEnv): ProxySettings {
  const problems: string[] = [];
  const proxyUrl = (name: 'https_proxy' | 'http_proxy'): URL | undefined => {
    const variable = chosenVariable(env, name);
    if (!variable) return undefined;
    const parsed = parseProxyUrl(variable.value);
    if (typeof parsed === 'string') {
      problems.push(`${variable.name} ${parsed}.`);
      return undefined;
    }
    return parsed;
  };
  const httpsProxy = proxyUrl('https_proxy');
  const httpProxy = proxyUrl('http_proxy');
  if (problems.length > 0) throw new ProxySettingsError(problems);
  return {
    ...(httpsProxy ? { httpsProxy } : {}),
    ...(httpProxy ? { httpProxy } : {}),
    noProxy: parseNoProxy(chosenVariable(env, 'no_proxy')?.value ?? ''),
  };
}

/**
 * The settings as the variables that give them again (worker threads are handed plain data, and a URL
 * is not plain data); `readProxySettings` of the result equals `settings`.
 */
export function proxyVariables(settings: ProxySettings): Record<string, string> {
  return {
    ...(settings.httpsProxy ? { https_proxy: settings.httpsProxy.href } : {}),
    ...(settings.httpProxy ? { http_proxy: settings.httpProxy.href } : {}),
    no_proxy: settings.noProxy.source,
  };
}

/** The proxy a connection to `target` goes through, or undefined to connect directly. */
export function proxyFor(settings: ProxySettings, target: ProxyTarget): URL | undefined {
  const secure = target.protocol === 'https:' || target.protocol === 'wss:';
  const proxy = secure ? (settings.httpsProxy ?? settings.httpProxy) : settings.httpProxy;
  if (!proxy) return undefined;
  const port = target.port !== '' ? Number(target.port) : secure ? 443 : 80;
  return settings.noProxy.matches(target.hostname, port) ? undefined : proxy;
}

/** Whether any proxy is set at all, for the startup log line. */
export function usesProxy(settings: ProxySettings): boolean {
  return settings.httpsProxy !== undefined || settings.httpProxy !== undefined;
}

/** The proxy's user name and password as sent in Proxy-Authorization, if the URL has them. */
export function proxyCredentials(proxy: URL): { user: string; password: string } | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  return { user: decodeURIComponent(proxy.username), password: decodeURIComponent(proxy.password) };
}

/** Values that must never be logged: each proxy's password, decoded and as written. */
export function proxySecrets(settings: ProxySettings): string[] {
  return [settings.httpsProxy, settings.httpProxy].flatMap((proxy) =>
    proxy && proxy.password !== '' ? [proxy.password, decodeURIComponent(proxy.password)] : [],
  );
}

function chosenVariable(env: NodeJS.ProcessEnv, lowerName: string): { name: string; value: string } | undefined {
  for (const name of [lowerName, lowerName.toUpperCase()]) {
    const value = env[name]?.trim();
    if (value) return { name, value };
  }
  return undefined;
}

function parseProxyUrl(value: string): URL | string {
  // "proxy.corp:3128" without a scheme is common in these variables; curl reads it as http://.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return 'is not a URL; use http://proxy.example.com:3128';
  }
  if (url.protocol !== 'http:') {
    return (
      `must be an http:// proxy URL, not ${url.protocol}//: the app speaks plain HTTP to the proxy ` +
      'and TLS to Slack and Viam inside the tunnel it opens'
    );
  }
  if (url.hostname === '') return 'has no host name; use http://proxy.example.com:3128';
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') {
    return 'must be just scheme, host and port (and user:password@ if the proxy asks for them)';
  }
  return url;
}

/** NO_PROXY as a matcher. */
export interface NoProxyList {
  matches(hostname: string, port: number): boolean;
  /** The variable's value as read, so the same list can be read again in another thread. */
  readonly source: string;
}

/**
 * Entries are separated by commas or spaces. `*` matches everything; `example.com`, `.example.com`
 * and `*.example.com` match that domain and its subdomains; `host:port` only that port; an IP address
 * only itself; `10.0.0.0/8` or `fd00::/8` any address in the range. Empty entries match nothing.
 */
export function parseNoProxy(value: string): NoProxyList {
  let everything = false;
  const names: Array<{ suffix: string; port?: number }> = [];
  const addresses = new BlockList();
  const addressPorts: Array<{ address: string; port: number }> = [];
  for (const raw of value.toLowerCase().split(/[\s,]+/)) {
    if (raw === '') continue;
    if (raw === '*') {
      everything = true;
      continue;
    }
    const range = raw.match(/^(.+)\/(\d{1,3})$/);
    const rangeFamily = range?.[1] ? isIP(range[1]) : 0;
    if (range?.[1] && range[2] && rangeFamily !== 0) {
      addresses.addSubnet(range[1], Number(range[2]), rangeFamily === 6 ? 'ipv6' : 'ipv4');
      continue;
    }
    const { host, port } = splitHostPort(raw);
    const family = isIP(host);
    if (family !== 0) {
      if (port === undefined) addresses.addAddress(host, family === 6 ? 'ipv6' : 'ipv4');
      else addressPorts.push({ address: host, port });
      continue;
    }
    const suffix = host.replace(/^\*?\.+/, '');
    if (suffix !== '') names.push({ suffix, ...(port === undefined ? {} : { port }) });
  }
  return {
    source: value,
    matches(hostname, port) {
      if (everything) return true;
      const host = hostname
        .toLowerCase()
        .replace(/^\[(.*)\]$/, '$1')
        .replace(/\.$/, '');
      const family = isIP(host);
      if (family !== 0) {
        return (
          addresses.check(host, family === 6 ? 'ipv6' : 'ipv4') ||
          addressPorts.some((entry) => entry.address === host && entry.port === port)
        );
      }
      return names.some(
        (entry) =>
          (host === entry.suffix || host.endsWith(`.${entry.suffix}`)) &&
          (entry.port === undefined || entry.port === port),
      );
    },
  };
}

function splitHostPort(entry: string): { host: string; port?: number } {
  const bracketed = entry.match(/^\[([^\]]+)\](?::(\d+))?$/);
  if (bracketed?.[1]) return { host: bracketed[1], ...(bracketed[2] ? { port: Number(bracketed[2]) } : {}) };
  // A bare IPv6 address has colons of its own and no port.
  if (isIP(entry) === 6) return { host: entry };
  const withPort = entry.match(/^(.*):(\d+)$/);
  if (withPort?.[1]) return { host: withPort[1], port: Number(withPort[2]) };
  return { host: entry };
}
