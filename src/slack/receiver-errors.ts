import { ErrorCode, type HTTPReceiverOptions, type ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import type { Logger } from '../logger';

/**
 * How our HTTP receivers answer a signed request that Bolt fails on before anything acked it. Bolt's
 * default answers 500, which Slack shows as our failure and retries. A correctly signed request that
 * Bolt cannot process (a payload Slack never sends, such as `channel: null` in `block_actions`) is the
 * sender's mistake: 400. A workspace with no installation stays 401, as Bolt has it. After an ack, the
 * answer is already out and only the log can say what failed.
 */
export function receiverErrorHandling(logger: Logger): Pick<HTTPReceiverOptions, 'processEventErrorHandler'> {
  const log = logger.child({ component: 'http-receiver' });
  return {
    processEventErrorHandler: async ({ error, response }: ReceiverProcessEventErrorHandlerArgs) => {
      if (response.headersSent) {
        log.error({ err: error }, 'a listener failed after its request was acknowledged');
        return false;
      }
      if ((error as { code?: unknown }).code === ErrorCode.AuthorizationError) {
        response.writeHead(401).end();
        return true;
      }
      log.warn({ err: error }, 'refused a signed Slack request the app could not process');
      response.writeHead(400, { 'content-type': 'text/plain' }).end('The request could not be processed.\n');
      return true;
    },
  };
}
