import { type CallOptions, credentials, Metadata, type ServiceError, type status } from '@grpc/grpc-js';
import type { RunningEmulator } from '../../../dev/emulator';
import { type AuthenticateRequest, AuthServiceClient } from '../../../src/gen/proto/rpc/v1/auth';
import { BillingServiceClient, type GetInvoicePdfRequest } from '../../../src/gen/viam/app/v1/billing';

/** Test helpers around the generated grpc-js clients (not the app's billing client). */

export interface Clients {
  auth: AuthServiceClient;
  billing: BillingServiceClient;
  close(): void;
}

export function connect(emulator: RunningEmulator): Clients {
  const target = emulator.url.replace(/^http:\/\//, '');
  const auth = new AuthServiceClient(target, credentials.createInsecure());
  const billing = new BillingServiceClient(target, credentials.createInsecure());
  return {
    auth,
    billing,
    close() {
      auth.close();
      billing.close();
    },
  };
}

/** The emulator's demo credentials at `index` (0 = the main demo org). */
export function demoOrg(emulator: RunningEmulator, index = 0): RunningEmulator['orgs'][number] {
  const org = emulator.orgs[index];
  if (!org) throw new Error(`the fixture has no demo org #${index}`);
  return org;
}

export function bearer(token: string): Metadata {
  return headers({ authorization: `Bearer ${token}` });
}

export function headers(values: Record<string, string>): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(values)) metadata.add(key, value);
  return metadata;
}

type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => unknown;

/** Calls a generated unary method as a promise. */
export function call<Req, Res>(
  client: object,
  method: UnaryMethod<Req, Res>,
  request: Req,
  metadata: Metadata = new Metadata(),
  options: Partial<CallOptions> = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method.call(client, request, metadata, options, (error, response) => (error ? reject(error) : resolve(response)));
  });
}

export async function authenticate(clients: Clients, org: { apiKeyId: string; apiKey: string }): Promise<string> {
  const request: AuthenticateRequest = {
    entity: org.apiKeyId,
    credentials: { type: 'api-key', payload: org.apiKey },
  };
  const response = await call(clients.auth, clients.auth.authenticate, request);
  return response.accessToken;
}

export interface PdfDownload {
  chunks: Buffer[];
  error?: ServiceError;
}

/** Reads a whole GetInvoicePdf stream, keeping the chunks that arrived before any error. */
export function downloadPdf(
  clients: Clients,
  request: GetInvoicePdfRequest,
  metadata: Metadata,
  options: Partial<CallOptions> = {},
): Promise<PdfDownload> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const stream = clients.billing.getInvoicePdf(request, metadata, options);
    stream.on('data', (message: { chunk: Buffer }) => chunks.push(message.chunk));
    stream.on('error', (error: ServiceError) => resolve({ chunks, error }));
    stream.on('end', () => resolve({ chunks }));
  });
}

/** Awaits a call expected to fail, and returns its gRPC error for assertions. */
export async function failure(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}

export function expectStatus(error: ServiceError, code: status, details?: string | RegExp): void {
  expect({ code: error.code, details: error.details }).toEqual({
    code,
    details:
      details === undefined
        ? expect.any(String)
        : typeof details === 'string'
          ? details
          : expect.stringMatching(details),
  });
}
