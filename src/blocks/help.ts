/** `/viam-usage help`, and the answer to a subcommand that does not exist. */
import { context, divider, header, section } from './build';
import { inlineCode } from './format';
import { SLASH_COMMAND } from './ids';
import { toMessage } from './limits';
import type { KnownBlock, SlackMessage } from './message';

interface CommandHelp {
  /** What to type after the slash command; empty for the bare command. */
  syntax: string;
  description: string;
  example: string;
}

interface HelpGroup {
  title: string;
  commands: readonly CommandHelp[];
}

const HELP: readonly HelpGroup[] = [
  {
    title: 'Billing',
    commands: [
      { syntax: '', description: 'Month-to-date spend, what is due, and the payment method.', example: '' },
      { syntax: 'usage', description: 'This month’s charges by tier, category and line.', example: 'usage' },
      { syntax: 'invoices', description: 'Outstanding balance and recent invoices.', example: 'invoices --all' },
      { syntax: 'invoice <invoice-id>', description: 'Share one invoice as a PDF.', example: 'invoice in_1Q2w3E4r' },
      { syntax: 'billing', description: 'Payment method, billing email and tier.', example: 'billing' },
      {
        syntax: 'compare',
        description: 'This month so far against the same point last month, and the last six invoices.',
        example: 'compare',
      },
      {
        syntax: 'usage csv',
        description: 'This month’s charges as a CSV file in the channel; `invoices csv` for the invoices.',
        example: 'invoices csv',
      },
    ],
  },
  {
    title: 'Setup',
    commands: [
      { syntax: 'connect', description: 'Connect a Viam org with an org-owner API key.', example: 'connect' },
      { syntax: 'disconnect [label]', description: 'Remove a connected org and its key.', example: 'disconnect acme' },
      { syntax: 'orgs', description: 'List the connected orgs.', example: 'orgs' },
    ],
  },
  {
    title: 'Access',
    commands: [
      { syntax: 'access add @user', description: 'Let someone see billing.', example: 'access add @jane' },
      { syntax: 'access remove @user', description: 'Take that back.', example: 'access remove @jane' },
      { syntax: 'access list', description: 'Who can see billing.', example: 'access list' },
      {
        syntax: 'audit',
        description: 'Admins and connectors: the last changes to orgs, access and digests.',
        example: 'audit',
      },
      {
        syntax: 'reset',
        description: 'Admins: start over when saved settings can no longer be read.',
        example: 'reset',
      },
    ],
  },
  {
    title: 'Weekly digest',
    commands: [
      {
        syntax: 'digest #channel [day] [HH:MM] [zone]',
        description: 'Post a weekly summary to a channel.',
        example: 'digest #finance monday 09:00 Europe/Berlin',
      },
      { syntax: 'digest list', description: 'List the scheduled digests.', example: 'digest list' },
      { syntax: 'digest off #channel', description: 'Stop a channel’s digest.', example: 'digest off #finance' },
      { syntax: 'digest now', description: 'Post the digest here right away.', example: 'digest now' },
    ],
  },
  {
    title: 'Budget, alerts and chart',
    commands: [
      {
        syntax: 'budget',
        description: 'The monthly budget, spend and projection against it, and the alerts sent this period.',
        example: 'budget',
      },
      {
        syntax: 'budget <amount> [#channel]',
        description:
          'Admins and connectors: set the monthly budget. Alerts at 50%, 80% and 100% of it, when the month-end projection goes over it, and for new, overdue or failed invoices go to the channel (default: this one).',
        example: 'budget 1500 #billing',
      },
      { syntax: 'budget off', description: 'Remove the budget; its alerts stop.', example: 'budget off' },
      {
        syntax: 'anomalies [on|off] [--min 20] [--pct 50]',
        description:
          'Alerts in the budget’s channel when a cost line’s last day is far above its usual rate; shows or changes the thresholds.',
        example: 'anomalies --min 50',
      },
      {
        syntax: 'chart',
        description:
          'Upload a PNG of month-to-date spend by category and the cumulative spend against last period and the budget.',
        example: 'chart',
      },
    ],
  },
  {
    title: 'Help',
    commands: [{ syntax: 'help', description: 'This list.', example: 'help' }],
  },
];

function command(words: string): string {
  return inlineCode(words ? `${SLASH_COMMAND} ${words}` : SLASH_COMMAND);
}

function helpLine(help: CommandHelp): string {
  const example = help.example && help.example !== help.syntax ? ` e.g. ${command(help.example)}` : '';
  return `• ${command(help.syntax)} — ${help.description}${example}`;
}

function helpBlocks(): KnownBlock[] {
  const groups = HELP.map((group) => section(`*${group.title}*\n${group.commands.map(helpLine).join('\n')}`));
  const options = section(
    [
      '*Options*',
      `• ${inlineCode('--org <label>')} — Use that connected org instead of the default. e.g. ${command('usage --org acme')}`,
      `• ${inlineCode('share')} as the last word — Post the answer in the channel instead of only to you. e.g. ${command('invoices share')}`,
    ].join('\n'),
  );
  return [...groups, divider(), options];
}

const FALLBACK =
  `How to use ${SLASH_COMMAND}: on its own for an overview, or with usage, invoices, invoice, billing, connect, ` +
  'disconnect, orgs, access, audit, digest, budget, anomalies, chart, compare or help. Add --org &lt;label&gt; to pick an org, or end with share to post in the channel.';

export function renderHelp(): SlackMessage {
  return toMessage(FALLBACK, [header(`How to use ${SLASH_COMMAND}`), ...helpBlocks()]);
}

/** `input` is what the person typed in place of a subcommand; `suggestion` a subcommand it resembles. */
export function renderUnknownCommand(input: string, suggestion?: string): SlackMessage {
  const shortInput = Array.from(input.trim()).slice(0, 100).join('');
  const typed = inlineCode(`${SLASH_COMMAND} ${shortInput}`);
  const guess = suggestion ? ` Did you mean ${inlineCode(suggestion)}?` : '';
  const intro = `I don’t know ${typed}.${guess}`;
  return toMessage(`${intro} ${FALLBACK}`, [section(intro), context('Here is what I can do:'), ...helpBlocks()]);
}
