/**
 * The demo's script: a morning in Acme Robotics' Slack, two months after Acme connected its Viam org.
 * Ada (the workspace owner) looks at the bill, sets it against last month, shares an invoice, lets
 * Linus in, connects a second Viam org, sets a budget (and the next hourly check finds a cost line
 * that jumped) and sets up a weekly digest; then the clock moves to Monday, the digest posts itself,
 * and Ada opens the app's Home tab. Every step says what it expects and checks it.
 */

import { ACTION_SHARE_INVOICE_PDF, CONNECT_ACTIONS, CONNECT_BLOCKS } from '../../src/blocks/ids';
import { nextOccurrence } from '../../src/digest/occurrences';
import { SEED } from '../slack-stand-in';
import { type Check, check, contains, lacks } from './checks';
import { dayAndTimeIn, timeIn } from './clock-words';
import type { DemoFigures } from './history';
import { anomalyChecks, chartChecks, compareChecks, digestTrendChecks, historyChecks } from './history-checks';
import { homeStep } from './home-step';
import { allText, arrayField, buttonsIn, stringField } from './json';
import { parseMrkdwn, plainText } from './mrkdwn';
import type { HistoryReport } from './seed-history';
import { type DemoSession, type Interaction, messagePayload, type Who } from './session';
import type { SharedFile, Shown } from './shown';

export interface StepOutcome {
  shown: Shown[];
  checks: Check[];
  /** The step's raw Block Kit, written as `NN-slug.json`. */
  json?: unknown;
  files?: Array<{ shared: SharedFile; bytes: Buffer }>;
}

export interface DemoStep {
  slug: string;
  caption: string;
  run(): Promise<StepOutcome>;
}

interface CommandStepSpec {
  slug: string;
  caption: string;
  /** What the person types after `/viam-usage`, as they would type it (`#billing`, `@linus`). */
  typed: string;
  who: Who;
  /** Checks on the answers' text (all `text` fields) and on everything the command caused. */
  expect(text: string, interaction: Interaction): Check[];
  before?(): void;
  after?(interaction: Interaction): void;
}

export interface TourContext {
  session: DemoSession;
  /** Moves the app's and the emulator's clock (the stand-in keeps real time for signatures and triggers). */
  setClock(at: Date): void;
  now(): Date;
  /** The app's log lines so far. */
  appLog(): readonly string[];
  /** Values that must never be logged or shown: API keys, tokens, the signing secret, the encryption key. */
  secrets: readonly string[];
  /** The hourly checks run before the first step. */
  history: HistoryReport;
  /** What the emulator reports at any instant, to check the app's figures against. */
  figures: DemoFigures;
}

const ADA_IN_BILLING: Who = { user: SEED.users.ada, channel: SEED.channels.billing };
const LINUS_IN_GENERAL: Who = { user: SEED.users.linus, channel: SEED.channels.general };
const SECOND_ORG_LABEL = 'rivet';
const DIGEST_ZONE = 'Europe/Berlin';
/** Where Acme's workspace is, as the intro says. */
const ACME_ZONE = 'America/New_York';
const berlinTime = (at: Date) => dayAndTimeIn(DIGEST_ZONE, at);

export function tourSteps(ctx: TourContext): DemoStep[] {
  const { session } = ctx;
  const { stack } = session;
  const ref = { teamId: SEED.team.id };
  let invoicesAnswer: unknown;
  let connectModal: unknown;
  const allShown: Shown[] = [];

  const commandStep = (spec: CommandStepSpec): DemoStep => ({
    slug: spec.slug,
    caption: spec.caption,
    async run() {
      spec.before?.();
      const interaction = await session.command(spec.typed, spec.who);
      spec.after?.(interaction);
      allShown.push(...interaction.shown);
      return {
        shown: interaction.shown,
        checks: [answeredCheck(interaction), ...spec.expect(answerText(interaction), interaction)],
        json: primaryPayload(interaction),
        files: interaction.files,
      };
    },
  });

  const viamReads = () =>
    (['GetCurrentMonthUsage', 'GetInvoicesSummary', 'GetOrgBillingInformation'] as const).reduce(
      (sum, method) => sum + stack.emulator.knobs.callCount(method),
      0,
    );
  let readsBeforeRefusal = 0;

  return [
    {
      slug: 'history',
      caption: 'Acme connected its Viam org two months ago; the app has checked it every hour since',
      run: async () => historyChecks(stack, ctx.history),
    },
    commandStep({
      slug: 'help',
      caption: 'Ada, the workspace owner, asks what the app can do',
      typed: 'help',
      who: ADA_IN_BILLING,
      expect: (text) => [
        contains('the answer is the command list', text, 'How to use /viam-usage'),
        contains('it explains the invoices command', text, '/viam-usage invoices'),
      ],
    }),
    commandStep({
      slug: 'overview',
      caption: 'Ada asks for the overview of this month',
      typed: '',
      who: ADA_IN_BILLING,
      expect: (text, interaction) => [
        contains('the answer shows "Month to date"', text, 'Month to date'),
        contains('it shows the outstanding balance', text, 'Outstanding balance'),
        check(
          'it offers [Usage details], [Invoices] and [Billing info]',
          ['Usage details', 'Invoices', 'Billing info'].every((label) =>
            buttonsIn(interaction.answers[0]).some((button) => button.label === label),
          ),
        ),
        check('only Ada sees it (ephemeral)', firstAnswerType(interaction) === 'ephemeral'),
      ],
    }),
    commandStep({
      slug: 'usage',
      caption: 'Ada opens the usage details: charges by category and line',
      typed: 'usage',
      who: ADA_IN_BILLING,
      expect: (text) => [
        contains('the answer is the usage breakdown', text, 'Usage details'),
        contains('it ends with the subtotal', text, 'Subtotal'),
      ],
    }),
    commandStep({
      slug: 'invoices',
      caption: 'Ada lists the invoices; the overdue one stands out',
      typed: 'invoices',
      who: ADA_IN_BILLING,
      expect: (text, interaction) => [
        contains('the answer shows the outstanding balance', text, 'Outstanding balance'),
        contains('the overdue invoice is flagged', text, 'Overdue'),
        check(
          'the invoices have [Share PDF] buttons',
          buttonsIn(interaction.answers[0]).some((button) => button.actionId === ACTION_SHARE_INVOICE_PDF),
        ),
      ],
      after: (interaction) => {
        invoicesAnswer = interaction.answers[0];
      },
    }),
    {
      slug: 'share-pdf',
      caption: 'Ada presses [Share PDF] on the overdue invoice to share it in #billing',
      run: sharePdf,
    },
    commandStep({
      slug: 'refused',
      caption: 'Linus, an engineer without access, tries the overview in #general',
      typed: '',
      who: LINUS_IN_GENERAL,
      before: () => {
        readsBeforeRefusal = viamReads();
      },
      expect: (text) => [
        contains('Linus is told he has no access', text, 'You don’t have access'),
        lacks('no amounts are shown to him', text, '$'),
        check('Viam was not asked for anything on his behalf', viamReads() === readsBeforeRefusal),
      ],
    }),
    commandStep({
      slug: 'access-add',
      caption: 'Ada gives Linus access to the billing',
      typed: 'access add @linus',
      who: ADA_IN_BILLING,
      expect: (text) => [contains('Ada is told Linus can now see billing', text, 'can now see Viam billing')],
    }),
    commandStep({
      slug: 'member-reads',
      caption: 'Linus tries again and reads the billing details',
      typed: 'billing',
      who: LINUS_IN_GENERAL,
      expect: (text) => [
        lacks('he is no longer refused', text, 'You don’t have access'),
        contains('he sees the payment method', text, 'Visa'),
        contains('and the billing email', text, 'billing@acme-robotics.example'),
      ],
    }),
    commandStep({
      slug: 'connect',
      caption: 'Ada connects a second Viam org: the command opens a form',
      typed: 'connect',
      who: ADA_IN_BILLING,
      expect: (_text, interaction) => {
        const modal = interaction.modals[0];
        const blockIds = arrayField(modal, 'blocks').map((block) => stringField(block, 'block_id'));
        return [
          check('a modal opened (views.open)', modal !== undefined),
          contains('it is the "Connect a Viam org" form', allText(modal), 'Connect a Viam org'),
          check(
            'it asks for the org ID, the API key ID and the API key',
            [CONNECT_BLOCKS.orgId, CONNECT_BLOCKS.apiKeyId, CONNECT_BLOCKS.apiKey].every((id) => blockIds.includes(id)),
          ),
        ];
      },
      after: (interaction) => {
        connectModal = interaction.modals[0];
      },
    }),
    {
      slug: 'connect-submit',
      caption: `Ada fills in the Rivet Farms org with an org-owner API key, labelled "${SECOND_ORG_LABEL}"`,
      run: submitConnect,
    },
    commandStep({
      slug: 'orgs',
      caption: 'Ada lists the connected orgs',
      typed: 'orgs',
      who: ADA_IN_BILLING,
      expect: (text) => [
        contains('two orgs are connected', text, '2 Viam orgs are connected'),
        contains(`the new one is labelled ${SECOND_ORG_LABEL}`, text, `*${SECOND_ORG_LABEL}*`),
        lacks('API key IDs are masked', text, stack.emulator.orgs[1]?.apiKeyId ?? '(none)'),
      ],
    }),
    commandStep({
      slug: 'usage-rivet',
      caption: 'Ada looks at the second org’s usage',
      typed: `usage --org ${SECOND_ORG_LABEL}`,
      who: ADA_IN_BILLING,
      expect: (text) => [
        contains('the answer is about the second org', text, `Usage details · ${SECOND_ORG_LABEL}`),
        contains('with its month to date', text, 'Month to date'),
      ],
    }),
    commandStep({
      slug: 'compare',
      caption: 'Ada sets this month against the last one',
      typed: 'compare',
      who: ADA_IN_BILLING,
      expect: (text, interaction) => [
        contains('the answer is the month-over-month view', text, 'Month over month · default'),
        ...compareChecks(interaction.answers[0], ctx.now(), ctx.figures),
        contains('it shows the invoice trend', text, 'Last 6 invoices'),
      ],
    }),
    commandStep({
      slug: 'chart',
      caption: 'Ada shares the spend chart in #billing',
      typed: 'chart',
      who: ADA_IN_BILLING,
      expect: (_text, interaction) => {
        const file = interaction.files[0];
        return [
          check('a PNG arrived in #billing', file?.shared.channel === SEED.channels.billing, file?.shared.channel),
          check('it is a PNG image', file?.bytes.subarray(1, 4).toString('latin1') === 'PNG', file?.shared.filename),
          check('it is named after the org and month', file?.shared.filename === 'default-spend-2026-11.png'),
          ...chartChecks(stack, file?.shared.filename, ctx.now(), ctx.figures),
        ];
      },
    }),
    commandStep({
      slug: 'usage-csv',
      caption: 'Ada exports this month’s usage as CSV for the finance team',
      typed: 'usage csv',
      who: ADA_IN_BILLING,
      expect: (_text, interaction) => {
        const file = interaction.files[0];
        const csv = file?.bytes.toString('utf8') ?? '';
        return [
          check('a CSV file arrived in #billing', file?.shared.channel === SEED.channels.billing),
          check(
            'it starts with its header row',
            csv.startsWith('\uFEFForg,period_start,period_end,source'),
            csv.slice(0, 60),
          ),
        ];
      },
    }),
    commandStep({
      slug: 'budget-set',
      caption: 'Ada sets a monthly budget of $400, with alerts in #billing',
      typed: 'budget 400 #billing',
      who: ADA_IN_BILLING,
      expect: (text) => [contains('the budget is set', text, 'is now $400.00; alerts go to')],
    }),
    {
      slug: 'alerts-check',
      caption: 'The hourly check: half the budget is spent, an invoice is overdue, compute jumped today',
      run: alertCheck,
    },
    commandStep({
      slug: 'digest-set',
      caption: 'Ada schedules a weekly digest in #billing for Monday mornings, Berlin time',
      typed: `digest #billing mon 09:00 ${DIGEST_ZONE}`,
      who: ADA_IN_BILLING,
      expect: (text) => [contains('the digest is scheduled', text, `every Monday at 09:00 (${DIGEST_ZONE})`)],
    }),
    commandStep({
      slug: 'digest-list',
      caption: 'Ada lists the scheduled digests',
      typed: 'digest list',
      who: ADA_IN_BILLING,
      expect: (text) => [
        contains('the #billing digest is listed', text, `<#${SEED.channels.billing}>`),
        contains('with its day and time', text, 'Monday at 09:00'),
      ],
    }),
    commandStep({
      slug: 'digest-now',
      caption: 'Ada previews the digest: it is posted in #billing right away',
      typed: 'digest now #billing',
      who: ADA_IN_BILLING,
      expect: (text, interaction) => {
        const posted = interaction.messages.find((message) => message.channel === SEED.channels.billing);
        return [
          contains('Ada is told it was posted', text, 'Posted a Viam digest'),
          check('the digest was posted in #billing', posted !== undefined),
          contains('it is the weekly digest', posted?.text, 'Weekly Viam digest'),
          ...digestTrendChecks(posted && messagePayload(posted), ctx.now(), ctx.figures),
        ];
      },
    }),
    {
      slug: 'digest-scheduled',
      caption: 'Monday 09:00 in Berlin: the scheduler posts the weekly digest by itself',
      run: scheduledDigest,
    },
    homeStep(ctx, (shown) => allShown.push(...shown)),
    {
      slug: 'secrets',
      caption: 'Nothing secret was logged or shown along the way',
      run: async () => noSecrets(ctx, allShown),
    },
  ];

  async function sharePdf(): Promise<StepOutcome> {
    const share = buttonsIn(invoicesAnswer).find((button) => button.actionId === ACTION_SHARE_INVOICE_PDF);
    if (!share) return failed('there is a [Share PDF] button to press', 'the invoices step showed none');
    const invoiceId = invoiceOf(share.value);
    const row = share.rowText ? plainText(parseMrkdwn(share.rowText.split('\n')[0] ?? '')) : undefined;
    const interaction = await session.press(share, ADA_IN_BILLING, row ? `on “${row}”` : undefined);
    allShown.push(...interaction.shown);
    const file = interaction.files[0];
    return {
      shown: interaction.shown,
      checks: [
        answeredCheck(interaction),
        check(
          'an upload arrived in #billing',
          file?.shared.channel === SEED.channels.billing,
          file ? `it went to ${file.shared.channel || 'no channel'}` : 'no file was shared',
        ),
        check('the file is a PDF (starts with %PDF-)', file?.bytes.subarray(0, 5).toString('latin1') === '%PDF-'),
        check(
          'it is the pressed invoice, named viam-invoice-YYYY-MM-<id>.pdf',
          file !== undefined &&
            /^viam-invoice-\d{4}-\d{2}-.+\.pdf$/.test(file.shared.filename) &&
            invoiceId !== undefined &&
            file.shared.filename.includes(invoiceId),
          file?.shared.filename,
        ),
      ],
      json: primaryPayload(interaction),
      files: interaction.files,
    };
  }

  async function submitConnect(): Promise<StepOutcome> {
    const rivet = stack.emulator.orgs[1];
    if (!connectModal) return failed('the connect modal is open', 'the connect step opened none');
    if (!rivet) return failed('the emulator has a second org', 'its fixture has one org');
    const typed = { orgId: rivet.orgId, apiKeyId: rivet.apiKeyId, apiKey: rivet.apiKey, label: SECOND_ORG_LABEL };
    const fields = Object.keys(typed) as (keyof typeof typed)[];
    const submitted = await session.submit(
      connectModal,
      Object.fromEntries(
        fields.map((name) => [CONNECT_BLOCKS[name], { actionId: CONNECT_ACTIONS[name], value: typed[name] }]),
      ),
      // The transcript shows the key the way a password field would.
      Object.fromEntries(
        fields.map((name) => [CONNECT_BLOCKS[name], name === 'apiKey' ? '•'.repeat(12) : typed[name]]),
      ),
      ADA_IN_BILLING.user,
    );
    allShown.push(...submitted.shown);
    const updated = submitted.ack.view;
    return {
      shown: submitted.shown,
      checks: [
        check('the app answered Slack with an updated modal', submitted.ack.response_action === 'update'),
        contains('the modal says the org is connected', allText(updated), `Connected \`${SECOND_ORG_LABEL}\``),
        lacks('the API key is not echoed back', JSON.stringify(updated ?? null), rivet.apiKey),
      ],
      json: updated,
    };
  }

  async function alertCheck(): Promise<StepOutcome> {
    const scheduler = stack.app.services.alerts.scheduler;
    const acme = stack.emulator.orgs[0]?.orgId ?? '';
    // The history left Acme's check due at its own minute of this hour; the clock moves on to it.
    const at = scheduler.nextCheckAt(ref, acme, ctx.now());
    ctx.setClock(at);
    const note: Shown = {
      kind: 'note',
      text: `⏰ The clock moves on to ${timeIn(ACME_ZONE, at)} in New York (${at.toISOString().slice(11, 16)} UTC), the minute of Acme’s hourly check.`,
    };
    const base = session.baseline();
    const report = await scheduler.tick(at);
    const posted = session.newChannelMessages(base);
    const again = await scheduler.tick(new Date(at.getTime() + 60 * 60_000));
    const shown = [note, ...posted.shown];
    allShown.push(...shown);
    const texts = posted.messages
      .filter((each) => each.channel === SEED.channels.billing)
      .map((each) => each.text ?? '');
    const sent = report.checks.flatMap((each) => each.alerts).filter((alert) => alert.outcome.status === 'posted');
    return {
      shown,
      checks: [
        check('the check posted alerts', sent.length > 0, JSON.stringify(sent.map((alert) => alert.kind))),
        check(
          'a budget alert: half the budget is spent',
          texts.some((text) => text.includes('Half of the monthly budget is spent')),
        ),
        check(
          'an invoice alert: the overdue invoice',
          texts.some((text) => text.startsWith('Invoice alert')),
        ),
        ...anomalyChecks(report, posted.messages, at, ctx.figures),
        check(
          'an hour later nothing is alerted again',
          again.checks.flatMap((each) => each.alerts).every((alert) => alert.outcome.status !== 'posted'),
        ),
      ],
      json: posted.messages[0] ? messagePayload(posted.messages[0]) : undefined,
    };
  }

  async function scheduledDigest(): Promise<StepOutcome> {
    const schedule = await stack.app.services.digests.schedules.get(ref, SEED.channels.billing);
    if (!schedule) return failed('a digest is scheduled in #billing', 'none was found');
    const due = nextOccurrence(schedule, ctx.now()).at;
    ctx.setClock(due);
    const note: Shown = {
      kind: 'note',
      text: `⏰ The clock moves on to ${berlinTime(due)} (${due.toISOString().slice(11, 16)} UTC) and the scheduler ticks.`,
    };
    const base = session.baseline();
    const report = await stack.app.services.digests.scheduler.tick(due);
    const posted = session.newChannelMessages(base);
    const again = await stack.app.services.digests.scheduler.tick(new Date(due.getTime() + 60_000));
    const shown = [note, ...posted.shown];
    allShown.push(...shown);
    const message = posted.messages.find((each) => each.channel === SEED.channels.billing);
    return {
      shown,
      checks: [
        check('it is Monday 09:00 in Berlin', /^Monday, .* 09:00 /.test(berlinTime(due)), berlinTime(due)),
        check(
          'the tick posted one digest',
          report.runs.length === 1 && report.runs[0]?.outcome.status === 'posted',
          `outcomes: ${JSON.stringify(report.runs.map((each) => each.outcome.status))}`,
        ),
        contains('the weekly digest is in #billing', message?.text, 'Weekly Viam digest'),
        ...digestTrendChecks(message && messagePayload(message), due, ctx.figures),
        check(
          'a tick a minute later posts nothing more',
          again.runs.every((each) => each.outcome.status !== 'posted'),
        ),
      ],
      json: message ? messagePayload(message) : undefined,
    };
  }
}

function noSecrets(ctx: TourContext, shown: readonly Shown[]): StepOutcome {
  const log = ctx.appLog();
  const shownJson = JSON.stringify(shown);
  const inLog = ctx.secrets.filter((secret) => log.some((line) => line.includes(secret)));
  const inSlack = ctx.secrets.filter((secret) => shownJson.includes(secret));
  return {
    shown: [{ kind: 'note', text: `The app wrote ${log.length} log lines (saved as app.log).` }],
    checks: [
      check('the app logged its work', log.length > 0),
      check(
        'no API key, token, signing secret or encryption key is in its log',
        inLog.length === 0,
        `${inLog.length} found`,
      ),
      check('none is in anything shown in Slack', inSlack.length === 0, `${inSlack.length} found`),
    ],
  };
}

/** One command typed by `who`, for `npm run demo -- "<command text>"`. */
export function singleCommandStep(session: DemoSession, typed: string, who: Who, caption: string): DemoStep {
  return {
    slug: slugOf(typed),
    caption,
    async run() {
      const interaction = await session.command(typed, who);
      return {
        shown: interaction.shown,
        checks: [answeredCheck(interaction)],
        json: primaryPayload(interaction),
        files: interaction.files,
      };
    },
  };
}

export function slugOf(typed: string): string {
  const words = typed
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, 4);
  return words.length === 0 ? 'overview' : words.join('-');
}

function answeredCheck(interaction: Interaction): Check {
  return check(
    'Slack got its acknowledgement and an answer arrived',
    interaction.ackStatus === 200 && interaction.answered,
    interaction.ackStatus === 200 ? 'nothing arrived within 10 s' : `the app answered HTTP ${interaction.ackStatus}`,
  );
}

function answerText(interaction: Interaction): string {
  return interaction.answers.map(allText).join('\n');
}

function firstAnswerType(interaction: Interaction): string | undefined {
  return stringField(interaction.answers[0], 'response_type');
}

/** The payload worth keeping for a step: what appeared in a channel, else the answer, else the modal. */
function primaryPayload(interaction: Interaction): unknown {
  // `digest now` answers with one line of confirmation; the digest it posted is the Block Kit worth keeping.
  const message = interaction.messages[0];
  if (!message) return interaction.answers[0] ?? interaction.modals[0];
  const payload = messagePayload(message);
  if (interaction.files.length > 0) {
    payload.files = interaction.files.map(({ shared }) => ({
      name: shared.filename,
      title: shared.title,
      size: shared.sizeBytes,
    }));
  }
  return payload;
}

function invoiceOf(buttonValue: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(buttonValue);
    return stringField(parsed, 'invoice');
  } catch {
    return undefined;
  }
}

function failed(expectation: string, detail: string): StepOutcome {
  return { shown: [], checks: [check(expectation, false, detail)] };
}
