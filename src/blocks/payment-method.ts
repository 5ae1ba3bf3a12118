/** Describes how an org pays, flagged when it needs someone's attention. */
import type { PaymentMethod } from '../billing/model';
import { escapeMrkdwn, titleCase } from './format';

const CARD_BRANDS: Readonly<Record<string, string>> = {
  amex: 'American Express',
  american_express: 'American Express',
  diners: 'Diners Club',
  discover: 'Discover',
  jcb: 'JCB',
  mastercard: 'Mastercard',
  unionpay: 'UnionPay',
  visa: 'Visa',
};

export interface PaymentMethodLine {
  /** mrkdwn, already escaped; a full sentence only when there is a problem. Reads well without `verifyLink`. */
  text: string;
  /** Someone must act before Viam can charge the org. */
  warning: boolean;
  /** mrkdwn link to the bank account's verification page, when Viam gave one that is safe to link. */
  verifyLink?: string;
}

function endingIn(lastFour: string): string {
  const digits = lastFour.trim();
  return digits === '' ? '' : ` ending in ${escapeMrkdwn(digits.slice(-4))}`;
}

/** Only a plain https address can go inside `<…|…>` without changing the link's meaning. */
function safeLink(url: string): string | undefined {
  return /^https:\/\/[^\s<>|]+$/.test(url) ? url.replace(/&/g, '&amp;') : undefined;
}

export function describePaymentMethod(method: PaymentMethod): PaymentMethodLine {
  switch (method.kind) {
    case 'card': {
      const brand = method.brand.trim();
      const name = CARD_BRANDS[brand.toLowerCase()] ?? (titleCase(brand) || 'Card');
      return { text: `${escapeMrkdwn(name)}${endingIn(method.lastFour)}`, warning: false };
    }
    case 'bank_account': {
      const bank = method.bankName.trim() || 'Bank';
      const type = method.accountType.trim().toLowerCase();
      const account = `${escapeMrkdwn(bank)} ${type ? `${escapeMrkdwn(type)} ` : ''}account${endingIn(method.lastFour)}`;
      if (method.verificationUrl === undefined) return { text: account, warning: false };
      const text = `${account} needs verification before Viam can charge it.`;
      const link = safeLink(method.verificationUrl);
      return link ? { text, warning: true, verifyLink: `<${link}|Verify the account>` } : { text, warning: true };
    }
    default:
      return { text: 'No payment method on file.', warning: true };
  }
}

/** The line as a message shows it: a warning stands out and carries its link. */
export function paymentMethodMrkdwn(line: PaymentMethodLine): string {
  const link = line.verifyLink ? ` ${line.verifyLink}` : '';
  return `${line.warning ? ':warning: ' : ''}${line.text}${link}`;
}
