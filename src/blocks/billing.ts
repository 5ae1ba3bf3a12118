/** `/viam-usage billing`: how the org pays, where Viam sends bills, and its tier when Viam tells us. */
import type { BillingInfo } from '../billing/model';
import { context, fields, header } from './build';
import { escapeMrkdwn } from './format';
import { toMessage } from './limits';
import type { RenderContext, SlackMessage } from './message';
import { describePaymentMethod, paymentMethodMrkdwn } from './payment-method';

export function renderBillingInfo(info: BillingInfo, ctx: RenderContext): SlackMessage {
  const label = escapeMrkdwn(ctx.orgLabel);
  const method = describePaymentMethod(info.paymentMethod);
  const email = info.billingEmail.trim();
  const tier = info.tier?.trim();

  const summary = [
    `*Payment method*\n${paymentMethodMrkdwn(method)}`,
    `*Billing email*\n${email ? escapeMrkdwn(email) : 'Not set'}`,
  ];
  if (tier) summary.push(`*Tier*\n${escapeMrkdwn(tier)}`);

  const sentences = [
    `Viam billing info for ${label}.`,
    method.warning ? method.text : `Payment method: ${method.text}.`,
    email ? `Billing email: ${escapeMrkdwn(email)}.` : 'No billing email is set.',
  ];
  if (tier) sentences.push(`Tier: ${escapeMrkdwn(tier)}.`);

  return toMessage(sentences.join(' '), [
    header(`Billing info · ${ctx.orgLabel}`),
    fields(summary),
    context('An org owner can change these on the Billing page of app.viam.com.'),
  ]);
}
