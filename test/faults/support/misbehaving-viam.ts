/**
 * A gRPC server on loopback that speaks Viam's paths but can answer with bytes that are not a valid
 * protobuf message, which the emulator (built on the same generated code) cannot do. Authenticate
 * always works; GetOrgBillingInformation answers garbage or a valid message, as the test chooses.
 */
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { AuthServiceService } from '../../../src/gen/proto/rpc/v1/auth';
import {
  BillingServiceService,
  GetOrgBillingInformationResponse,
  PaymentMethodType,
} from '../../../src/gen/viam/app/v1/billing';

/** Field 1, length-delimited, claiming 4 GiB of content that is not there: every decoder must refuse it. */
const GARBAGE = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02]);

export const VALID_BILLING_EMAIL = 'valid-again@misbehaving.example';

export class MisbehavingViam {
  /** What GetOrgBillingInformation answers with next. */
  mode: 'garbage' | 'valid' = 'garbage';
  calls = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<MisbehavingViam> {
    const server = new Server();
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      );
    });
    const viam = new MisbehavingViam(server, `http://127.0.0.1:${port}`);
    server.addService(AuthServiceService, {
      authenticate: (_call: unknown, callback: (error: null, response: { accessToken: string }) => void) =>
        callback(null, { accessToken: 'misbehaving-server-token' }),
    });
    const billingInfo = BillingServiceService.getOrgBillingInformation;
    server.addService(
      {
        getOrgBillingInformation: {
          ...billingInfo,
          responseSerialize: (value: GetOrgBillingInformationResponse) =>
            viam.mode === 'garbage' ? GARBAGE : billingInfo.responseSerialize(value),
        },
      },
      {
        getOrgBillingInformation: (
          _call: unknown,
          callback: (error: null, response: GetOrgBillingInformationResponse) => void,
        ) => {
          viam.calls += 1;
          callback(
            null,
            GetOrgBillingInformationResponse.fromPartial({
              type: PaymentMethodType.PAYMENT_METHOD_TYPE_UNSPECIFIED,
              billingEmail: VALID_BILLING_EMAIL,
            }),
          );
        },
      },
    );
    return viam;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.tryShutdown(() => resolve()));
  }
}
