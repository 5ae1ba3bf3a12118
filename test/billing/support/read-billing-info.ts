/**
 * Run as its own process by test/billing/tls.test.ts, so Node reads NODE_EXTRA_CA_CERTS at start as it
 * does in production: one billing read with the app's client, printed as one JSON line. The proxy
 * variables (HTTPS_PROXY, NO_PROXY) are read as the app reads them.
 */
import { createBillingClient, isViamBillingError } from '../../../src/billing';
import { readProxySettings } from '../../../src/network/proxy-settings';

const env = (name: string) => process.env[name] ?? '';
const client = createBillingClient({ url: env('VIAM_APP_URL'), proxy: readProxySettings(process.env) });
const started = Date.now();
client
  .getOrgBillingInformation({ id: env('VIAM_API_KEY_ID'), key: env('VIAM_API_KEY') }, env('VIAM_ORG_ID'))
  .then(
    (info) => console.log(JSON.stringify({ ok: true, billingEmail: info.billingEmail })),
    (error: unknown) =>
      console.log(
        JSON.stringify(
          isViamBillingError(error)
            ? { ok: false, kind: error.kind, message: error.message, ms: Date.now() - started }
            : { ok: false, unexpected: String(error) },
        ),
      ),
  )
  .finally(() => client.close());
