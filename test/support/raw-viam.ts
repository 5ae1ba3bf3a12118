/**
 * Reads from the emulator with the generated gRPC clients only (not the app's billing client), so a
 * test can compare what the app delivered with what Viam actually serves.
 */
import { credentials, Metadata } from '@grpc/grpc-js';
import type { RunningEmulator } from '../../dev/emulator';
import { AuthServiceClient } from '../../src/gen/proto/rpc/v1/auth';
import { BillingServiceClient, type GetInvoicePdfResponse } from '../../src/gen/viam/app/v1/billing';

export async function rawInvoicePdf(
  emulator: RunningEmulator,
  org: { orgId: string; apiKeyId: string; apiKey: string },
  invoiceId: string,
): Promise<Buffer> {
  const target = emulator.url.replace(/^http:\/\//, '');
  const auth = new AuthServiceClient(target, credentials.createInsecure());
  const billing = new BillingServiceClient(target, credentials.createInsecure());
  try {
    const token = await new Promise<string>((resolve, reject) => {
      auth.authenticate(
        { entity: org.apiKeyId, credentials: { type: 'api-key', payload: org.apiKey } },
        (error, response) => (error ? reject(error) : resolve(response.accessToken)),
      );
    });
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${token}`);
    const stream = billing.getInvoicePdf({ id: invoiceId, orgId: org.orgId }, metadata);
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (message: GetInvoicePdfResponse) => chunks.push(Buffer.from(message.chunk)));
      stream.on('error', reject);
      stream.on('end', () => resolve());
    });
    return Buffer.concat(chunks);
  } finally {
    auth.close();
    billing.close();
  }
}
