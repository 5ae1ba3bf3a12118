/**
 * `/viam-usage usage`: the month's charges per source (the org, then each fragment tier), per
 * category and per line, with discounts and totals. Long breakdowns are cut with a count and the
 * amount left out, so the numbers shown always add up for the reader.
 */
import type { CostLine, UsageReport, UsageSource } from '../billing/model';
import { context, divider, fields, header, section } from './build';
import { escapeMrkdwn, formatDiscount, formatMoney, plural } from './format';
import { joinLinesWithin, moreLine, SLACK_LIMITS, toMessage } from './limits';
import type { KnownBlock, RenderContext, SlackMessage } from './message';
import { describePeriod } from './period';
import { isZeroAmount, linesByCategory, rankedCategories, sumLines } from './totals';

/** Lines listed per category before the rest are summed into one "…and N more" line. */
const MAX_LINES_PER_CATEGORY = 20;

export function renderUsage(report: UsageReport, ctx: RenderContext): SlackMessage {
  const label = escapeMrkdwn(ctx.orgLabel);
  const period = describePeriod(report, ctx.timeZone, ctx.now);
  const subtotal = formatMoney(report.subtotal);

  const head: KnownBlock[] = [
    header(`Usage details · ${ctx.orgLabel}`),
    fields([`*Month to date*\n${subtotal}`, ...(period === undefined ? [] : [`*Billing period*\n${period}`])]),
    divider(),
  ];
  const tail: KnownBlock[] = [section(`*Subtotal:* ${subtotal}`)];
  if (report.fromDeprecatedFields) {
    tail.push(context('Viam sent only its older summary for this period, so charges are not split by tier.'));
  }

  const sources = sortedSources(report.sources).filter(hasCharges);
  const body = sources.length === 0 ? [section('No usage yet this month.')] : sourceBlocks(sources, head, tail);

  return toMessage(fallbackText(report, label, period), [...head, ...body, ...tail]);
}

/** Whole sources are kept or cut, so no source is shown with half of its categories. */
function sourceBlocks(sources: readonly UsageSource[], head: KnownBlock[], tail: KnownBlock[]): KnownBlock[] {
  let room = SLACK_LIMITS.messageBlocks - head.length - tail.length;
  const blocks: KnownBlock[] = [];
  for (const [index, source] of sources.entries()) {
    const own = renderSource(source);
    const isLast = index === sources.length - 1;
    // Unless this is the last source, keep one block free for the "…and N more" line.
    if (own.length > room - (isLast ? 0 : 1)) {
      const rest = sources.slice(index);
      const amount = rest.reduce((sum, each) => sum + each.totalWithDiscount, 0);
      blocks.push(moreLine(`…and ${plural(rest.length, 'more fragment tier')} totalling ${formatMoney(amount)}.`));
      break;
    }
    blocks.push(...own);
    room -= own.length;
  }
  return blocks;
}

function renderSource(source: UsageSource): KnownBlock[] {
  const categoryBlocks = linesByCategory(source.lines).map(({ label, amount, lines }) => {
    const title = `*${label}* · ${formatMoney(amount)}\n`;
    return section(title + lineList(lines, SLACK_LIMITS.sectionText - title.length));
  });
  return [section(`*${sourceTitle(source)}*`), ...categoryBlocks, context(totalsLine(source)), divider()];
}

/** Biggest lines first; the rest summed in one last line so the category still adds up. */
function lineList(lines: readonly CostLine[], chars: number): string {
  const rendered = lines.map((line) => `• ${escapeMrkdwn(lineLabel(line))}: ${formatMoney(line.amount)}`);
  const more = (count: number) =>
    `…and ${plural(count, 'more line')} totalling ${formatMoney(sumLines(lines.slice(-count)))}`;
  return joinLinesWithin(rendered, { chars, lines: MAX_LINES_PER_CATEGORY }, more);
}

function lineLabel(line: CostLine): string {
  return line.label.trim() || `Other charges (type ${line.costType})`;
}

function sourceTitle(source: UsageSource): string {
  const tier = escapeMrkdwn(source.tierName.trim());
  switch (source.kind) {
    case 'org':
      return 'Organization usage';
    case 'fragment':
      return tier ? `Fragment tier: ${tier}` : 'Fragment tier (unnamed)';
    default:
      return tier ? `Other usage: ${tier}` : 'Other usage';
  }
}

function totalsLine(source: UsageSource): string {
  const total = `Total ${formatMoney(source.totalWithDiscount)}`;
  if (isZeroAmount(source.discount)) return total;
  return `Before discount ${formatMoney(source.totalWithoutDiscount)} · Discount ${formatDiscount(source.discount)} · ${total}`;
}

/** The org's own usage first, then fragment tiers in Viam's order. */
function sortedSources(sources: readonly UsageSource[]): UsageSource[] {
  return [...sources.filter((source) => source.kind === 'org'), ...sources.filter((source) => source.kind !== 'org')];
}

function hasCharges(source: UsageSource): boolean {
  return source.lines.some((line) => !isZeroAmount(line.amount)) || !isZeroAmount(source.totalWithDiscount);
}

function fallbackText(report: UsageReport, label: string, period: string | undefined): string {
  const periodText = period === undefined ? '' : ` (${period})`;
  const categories = rankedCategories(report);
  const parts =
    categories.length === 0
      ? ' No usage yet this month.'
      : ` ${categories.map(({ label: name, amount }) => `${name} ${formatMoney(amount)}`).join(', ')}.`;
  return `Viam usage for ${label}: ${formatMoney(report.subtotal)} so far this billing period${periodText}.${parts}`;
}
