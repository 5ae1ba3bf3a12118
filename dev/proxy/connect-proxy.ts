/**
 * A strict HTTP CONNECT proxy on loopback, as a company proxy looks from inside the network: it
 * resolves host names only from its own table (so a client can reach those names only through it),
 * opens a tunnel per CONNECT and refuses anything else (plain requests for absolute URLs included),
 * and, when given credentials, answers 407 to a CONNECT without the right Proxy-Authorization.
 * Every CONNECT is recorded, accepted or not.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

export interface ConnectProxyOptions {
  /** Host names the proxy resolves, each to an address on this machine (usually 127.0.0.1). */
  hosts: Record<string, string>;
  /** When set, a CONNECT must carry these in `Proxy-Authorization: Basic`. */
  credentials?: { user: string; password: string };
}

export interface ProxiedConnect {
  /** `host:port` as the client asked for it. */
  target: string;
  /** 200 for an open tunnel, else the refusal's status. */
  status: number;
}

export interface RunningConnectProxy {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Every CONNECT so far, in order. */
  readonly connects: readonly ProxiedConnect[];
  /** Requests that were not a CONNECT (refused with 405). */
  readonly refusedRequests: number;
  stop(): Promise<void>;
}

export async function startConnectProxy(options: ConnectProxyOptions): Promise<RunningConnectProxy> {
  const hosts = new Map(Object.entries(options.hosts).map(([name, address]) => [name.toLowerCase(), address]));
  const expectedAuthorization = options.credentials
    ? `Basic ${Buffer.from(`${options.credentials.user}:${options.credentials.password}`).toString('base64')}`
    : undefined;
  const connects: ProxiedConnect[] = [];
  const sockets = new Set<Socket>();
  let refusedRequests = 0;

  const server: Server = createServer((_request, response) => {
    refusedRequests++;
    response.writeHead(405, { allow: 'CONNECT', connection: 'close' }).end('This proxy only tunnels (CONNECT).\n');
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const target = request.url ?? '';
    const refuse = (status: number, reason: string, extra = '') => {
      connects.push({ target, status });
      client.end(`HTTP/1.1 ${status} ${reason}\r\n${extra}content-length: 0\r\nconnection: close\r\n\r\n`);
    };
    if (expectedAuthorization && request.headers['proxy-authorization'] !== expectedAuthorization) {
      refuse(407, 'Proxy Authentication Required', 'proxy-authenticate: Basic realm="test"\r\n');
      return;
    }
    const split = target.match(/^(.+):(\d+)$/);
    const address = split?.[1] ? hosts.get(split[1].replace(/^\[(.*)\]$/, '$1').toLowerCase()) : undefined;
    if (!split || !address) {
      refuse(502, 'Bad Gateway');
      return;
    }
    const upstream = connect({ host: address, port: Number(split[2]) });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    let tunnelled = false;
    upstream.once('error', () => {
      if (!tunnelled) refuse(502, 'Bad Gateway');
      else client.destroy();
    });
    upstream.once('connect', () => {
      tunnelled = true;
      connects.push({ target, status: 200 });
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => {
      if (tunnelled) client.destroy();
    });
  });

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    get refusedRequests() {
      return refusedRequests;
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
