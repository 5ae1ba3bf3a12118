import { Server, ServerCredentials } from '@grpc/grpc-js';
import { AuthServiceService } from '../../src/gen/proto/rpc/v1/auth';
import { BillingServiceService } from '../../src/gen/viam/app/v1/billing';
import { authServiceHandlers } from './auth-service';
import { billingServiceHandlers } from './billing-service';
import type { EmulatorContext } from './call-gate';
import { type DemoCredentials, OrgDirectory } from './directory';
import { type EmulatorFixture, loadFixture, parseFixture } from './fixture';
import { type EmulatorKnobs, KnobBoard } from './knobs';
import { TokenAuthority } from './tokens';
import { UsageTimeline, type UsageTimelineOptions } from './usage-timeline';

export interface EmulatorOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default: dev/emulator/fixtures/default.json. */
  fixture?: EmulatorFixture;
  /** The emulator's clock: the usage month, invoice dates and token times follow it. Default real time. */
  now?: () => Date;
  /** When set, tokens carry `exp` and stop working after this many seconds of the clock. */
  tokenTtlSeconds?: number;
  /** Largest PDF chunk per stream message. Default 64 KiB. */
  pdfChunkBytes?: number;
  /** The host name in `url`, for a name only a proxy resolves (with TLS the certificate must be for it). Default the address bound. */
  urlHost?: string;
  /** Serve TLS with this certificate (PEM) instead of plaintext; the URL becomes `https://`. */
  tls?: { certPem: string; keyPem: string };
  /**
   * Month-to-date usage that grows with the clock, equal to the fixture's at `anchor` (see
   * usage-timeline.ts). Default: the fixture's figures whatever the date.
   */
  usageTimeline?: UsageTimelineOptions;
}

export interface RunningEmulator {
  /** `http://HOST:PORT`, plaintext gRPC (h2c), or `https://HOST:PORT` with `tls`. */
  url: string;
  port: number;
  /** Demo credentials (each org's first key); the first entry is the main demo org. */
  orgs: ReadonlyArray<DemoCredentials>;
  knobs: EmulatorKnobs;
  /** Graceful shutdown; in-flight calls are cut after a short grace period. */
  stop(): Promise<void>;
}

export const DEFAULT_PDF_CHUNK_BYTES = 64 * 1024;
const STOP_GRACE_MS = 1000;

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  if (options.tokenTtlSeconds !== undefined && !(options.tokenTtlSeconds > 0)) {
    throw new RangeError('tokenTtlSeconds must be > 0');
  }
  const fixture = options.fixture ? parseFixture(options.fixture) : loadFixture();
  const now = options.now ?? (() => new Date());
  const tokens = new TokenAuthority(now, options.tokenTtlSeconds);
  const knobs = new KnobBoard(tokens);
  const directory = new OrgDirectory(fixture);
  const pdfChunkBytes = options.pdfChunkBytes ?? DEFAULT_PDF_CHUNK_BYTES;
  if (!Number.isInteger(pdfChunkBytes) || pdfChunkBytes < 1) throw new RangeError('pdfChunkBytes must be >= 1');
  const timeline = options.usageTimeline && new UsageTimeline(fixture, options.usageTimeline);
  const usageOf: EmulatorContext['usageOf'] = timeline ? (org, at) => timeline.usageAt(org, at) : (org) => org.usage;
  const ctx: EmulatorContext = { now, knobs, tokens, directory, pdfChunkBytes, usageOf };

  const server = new Server();
  server.addService(AuthServiceService, authServiceHandlers(ctx));
  server.addService(BillingServiceService, billingServiceHandlers(ctx));

  const host = options.host ?? '127.0.0.1';
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const address = `${hostPart}:${options.port ?? 0}`;
  const port = await new Promise<number>((resolve, reject) => {
    const credentials = options.tls
      ? ServerCredentials.createSsl(
          null,
          [{ cert_chain: Buffer.from(options.tls.certPem), private_key: Buffer.from(options.tls.keyPem) }],
          false,
        )
      : ServerCredentials.createInsecure();
    server.bindAsync(address, credentials, (error, bound) =>
      error ? reject(new Error(`cannot listen on ${address}: ${error.message}`)) : resolve(bound),
    );
  });
  // A wildcard bind is reachable on loopback; print an address a client can dial.
  const dialHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : hostPart;

  let stopping: Promise<void> | undefined;
  return {
    url: `${options.tls ? 'https' : 'http'}://${options.urlHost ?? dialHost}:${port}`,
    port,
    orgs: directory.demo,
    knobs,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, STOP_GRACE_MS);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      return stopping;
    },
  };
}
