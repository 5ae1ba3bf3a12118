import { type Metadata, status } from '@grpc/grpc-js';
import type { AuthenticateRequest, AuthServiceServer } from '../../src/gen/proto/rpc/v1/auth';
import { beginCall, type EmulatorContext, reject, toStatus } from './call-gate';

/** proto.rpc.v1.AuthService: trades an API key for a bearer token, with goutils' checks and messages. */
export function authServiceHandlers(ctx: EmulatorContext): AuthServiceServer {
  return {
    authenticate(call, callback) {
      authenticate(ctx, call.request, call.metadata).then(
        (accessToken) => callback(null, { accessToken }),
        (error: unknown) => callback(toStatus(error)),
      );
    },
  };
}

async function authenticate(ctx: EmulatorContext, request: AuthenticateRequest, metadata: Metadata): Promise<string> {
  await beginCall(ctx, 'Authenticate', metadata);
  if (metadata.get('authorization').length > 0) {
    throw reject(status.INVALID_ARGUMENT, 'already authenticated; cannot re-authenticate');
  }
  const credentials = request.credentials;
  if (!credentials) throw reject(status.INVALID_ARGUMENT, 'credentials required');
  if (credentials.type !== 'api-key') {
    throw reject(status.INVALID_ARGUMENT, `do not know how to handle credential type "${credentials.type}"`);
  }
  // One message for unknown id, wrong secret and revoked key, and never the secret itself.
  const orgId = ctx.directory.orgForKey(request.entity, credentials.payload);
  if (orgId === undefined || ctx.knobs.isRevoked(request.entity)) {
    throw reject(status.PERMISSION_DENIED, 'failed to authenticate: invalid api key');
  }
  return ctx.tokens.issue(request.entity);
}
