import { type Metadata, status } from '@grpc/grpc-js';
import type { OrgDirectory } from './directory';
import type { FixtureOrg, FixtureUsageSource } from './fixture';
import type { KnobBoard } from './knobs';
import type { EmulatorMethod } from './methods';
import type { TokenAuthority } from './tokens';

/** What every service handler needs from the running emulator. */
export interface EmulatorContext {
  now: () => Date;
  knobs: KnobBoard;
  tokens: TokenAuthority;
  directory: OrgDirectory;
  pdfChunkBytes: number;
  /** The org's month-to-date usage sources at `now`: the fixture's own, or its usage timeline's. */
  usageOf: (org: FixtureOrg, now: Date) => readonly FixtureUsageSource[];
}

/** A gRPC error status a handler throws; the service adapters turn it into the call's status. */
export class RpcRejection extends Error {
  constructor(
    readonly code: status,
    readonly details: string,
  ) {
    super(details);
  }
}

export function reject(code: status, details: string): RpcRejection {
  return new RpcRejection(code, details);
}

export function toStatus(error: unknown): { code: status; details: string } {
  if (error instanceof RpcRejection) return { code: error.code, details: error.details };
  return {
    code: status.INTERNAL,
    details: `emulator error: ${error instanceof Error ? error.message : String(error)}`,
  };
}

/** Bookkeeping and injected behaviour every call goes through before its own checks. */
export async function beginCall(ctx: EmulatorContext, method: EmulatorMethod, metadata: Metadata): Promise<void> {
  ctx.knobs.recordCall(method, metadata);
  const latency = ctx.knobs.latencyOf(method);
  if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency).unref());
  const failure = ctx.knobs.takeFailure(method);
  if (failure) throw reject(failure.code, failure.details);
}

export interface Caller {
  apiKeyId: string;
  orgId: string;
}

const BEARER = 'Bearer ';

/** Checks the bearer token the way Viam's goutils server does, with the same codes and messages. */
export function authenticateCaller(ctx: EmulatorContext, metadata: Metadata): Caller {
  const values = metadata.get('authorization');
  const [header] = values;
  if (values.length !== 1 || typeof header !== 'string')
    throw reject(status.UNAUTHENTICATED, 'authentication required');
  if (!header.startsWith(BEARER)) {
    throw reject(status.UNAUTHENTICATED, `expected authorization header with prefix: ${BEARER}`);
  }
  const check = ctx.tokens.verify(header.slice(BEARER.length));
  if (!check.ok) throw reject(status.UNAUTHENTICATED, `unauthenticated: ${check.reason}`);
  const apiKeyId = check.claims.sub;
  const orgId = ctx.directory.orgOfKeyId(apiKeyId);
  if (orgId === undefined) throw reject(status.UNAUTHENTICATED, 'unauthenticated: cannot authenticate entity');
  if (ctx.knobs.isRevoked(apiKeyId)) throw reject(status.UNAUTHENTICATED, 'unauthenticated: token has been revoked');
  return { apiKeyId, orgId };
}

/** An org-owner key reads only its own org; any other id, known or not, is outside its rights. */
export function authorizeOrg(ctx: EmulatorContext, caller: Caller, orgId: string): FixtureOrg {
  const org = orgId === caller.orgId ? ctx.directory.org(orgId) : undefined;
  if (!org) {
    throw reject(
      status.PERMISSION_DENIED,
      `permission denied: this API key has no billing access to organization "${orgId}"`,
    );
  }
  return org;
}
