/**
 * How a gRPC channel reaches its target under the proxy settings. grpc-js tunnels through an HTTP
 * proxy with CONNECT when its channel options name the real target; we set those options ourselves
 * and turn its own reading of the environment off, because it honours only lower-case variables,
 * splits NO_PROXY without trimming and treats an empty entry as "bypass everything".
 */
import type { ChannelOptions } from '@grpc/grpc-js';
import { type ProxySettings, proxyCredentials, proxyFor } from './proxy-settings';

export interface GrpcRoute {
  /** What the channel dials: the target itself, or the proxy. */
  dialTarget: string;
  options: ChannelOptions;
}

/** `target` is `host:port` (IPv6 in brackets); `secure` says whether TLS runs to it. */
export function grpcRoute(settings: ProxySettings, target: string, secure: boolean): GrpcRoute {
  const url = new URL(`${secure ? 'https' : 'http'}://${target}`);
  const proxy = proxyFor(settings, url);
  if (!proxy) return { dialTarget: target, options: { 'grpc.enable_http_proxy': 0 } };
  const credentials = proxyCredentials(proxy);
  return {
    dialTarget: `${proxy.hostname}:${proxy.port || '80'}`,
    options: {
      'grpc.enable_http_proxy': 0,
      // The tunnel's CONNECT names the real target, and TLS checks its certificate against that name.
      'grpc.http_connect_target': `dns:${target}`,
      // Without this the :authority header would name the proxy.
      'grpc.default_authority': target,
      ...(credentials ? { 'grpc.http_connect_creds': `${credentials.user}:${credentials.password}` } : {}),
    },
  };
}
