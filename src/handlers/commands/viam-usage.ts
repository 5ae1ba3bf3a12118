import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { AppServices } from '../../services/app-services';
import { newRequestId } from '../request';
import { answerCommand, commandFields } from './answer-command';

/**
 * The `/viam-usage` listener: ack at once, then answer, on an answer thread when the app runs them
 * (src/answers) so the work never holds back the next ack, else here.
 */
export function viamUsageCommand(services: AppServices) {
  return async ({ command, ack, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const fields = commandFields(command, newRequestId());
    const { subcommand, outcome } = services.answerThreads
      ? await services.answerThreads.answer(fields)
      : await answerCommand(services, fields, client);
    services.metrics.command(subcommand, outcome);
  };
}
