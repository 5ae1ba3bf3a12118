import type { AppServices } from '../../services/app-services';
import { answering, type SlackRequest } from '../request';
import { type ButtonArgs, buttonRequest } from './button-request';

type ShowDetails = (request: SlackRequest, options: { org: string }) => Promise<void>;

/**
 * The overview's "Usage details", "Invoices" and "Billing info" buttons: each answers exactly as its
 * subcommand does, for the org the button was rendered for.
 */
export function showDetailsAction(services: AppServices, show: ShowDetails, listener: string) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const { request, value } = await buttonRequest(args, services, listener);
    if (value) services.metrics.action(listener, await answering(request, () => show(request, { org: value.org })));
  };
}
