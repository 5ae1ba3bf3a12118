/**
 * The tour's App Home step: Ada opens the app's Home tab, as Slack tells the app with a signed
 * `app_home_opened` event, and the dashboard the app publishes (views.publish) is what she sees. It
 * comes late in the tour, once a second org, a budget and a digest give the dashboard something to show.
 */
import { appHomeOpenedEvent, type RecordedCall, SEED, sendEvent } from '../slack-stand-in';
import { mentionsAmount } from './amounts';
import { type Check, check, contains } from './checks';
import { allText, arrayField, field, stringField, textObject } from './json';
import type { Shown } from './shown';
import type { DemoStep, StepOutcome, TourContext } from './tour';

/** As long as the demo waits for any other answer. */
const PUBLISH_TIMEOUT_MS = 10_000;

/** The org the app connected from its environment, whose figures the emulator's history gives. */
const DEMO_ORG_LABEL = 'default';

const MONTH_TO_DATE_FIELD = '*Month to date*';

export function homeStep(ctx: TourContext, onShown: (shown: readonly Shown[]) => void): DemoStep {
  return {
    slug: 'home',
    caption: 'Ada opens the app’s Home tab: a dashboard of every connected org, its budget and digests',
    run: async () => {
      const outcome = await openHome(ctx);
      onShown(outcome.shown);
      return outcome;
    },
  };
}

async function openHome(ctx: TourContext): Promise<StepOutcome> {
  const { slack, appUrl } = ctx.session.stack;
  const user = SEED.users.ada;
  const after = slack.calls().at(-1)?.seq ?? 0;
  const published = slack
    .waitForCall('views.publish', (call) => call.seq > after && call.args.user_id === user, PUBLISH_TIMEOUT_MS)
    .catch((): RecordedCall | undefined => undefined);
  const ack = await sendEvent({
    appUrl,
    signingSecret: slack.app.signingSecret,
    team: SEED.team.id,
    // Slack names the bot's DM with the user as the event's channel.
    event: appHomeOpenedEvent({ user, channel: slack.workspace.openIm(SEED.team.id, user).channel.id }),
  });
  const call = await published;
  const view = slack.homeView(user, SEED.team.id)?.view;
  const expectedMonthToDate = ctx.figures.subtotalAt(ctx.now());
  const checks: Check[] = [
    check('Slack got its acknowledgement of the event', ack.status === 200, `the app answered HTTP ${ack.status}`),
    check(
      'the app published Ada’s Home tab (views.publish)',
      call?.ok === true,
      call ? `views.publish failed: ${call.error}` : `nothing was published within ${PUBLISH_TIMEOUT_MS / 1000} s`,
    ),
    check('it is a Home view', stringField(view, 'type') === 'home', stringField(view, 'type') ?? 'no view'),
    mentionsAmount(
      `it shows the ${DEMO_ORG_LABEL} org’s month to date, as Viam reports it`,
      monthToDateOf(view, DEMO_ORG_LABEL),
      expectedMonthToDate,
      0.005,
    ),
    contains('it shows the $400 budget', allText(view), '$400.00 a month'),
    contains('and the weekly digest in #billing', allText(view), `<#${SEED.channels.billing}> every Monday at 09:00`),
  ];
  const shown: Shown[] = view === undefined ? [] : [{ kind: 'home', user, view }];
  return { shown, checks, ...(view === undefined ? {} : { json: view }) };
}

/**
 * The "Month to date" field under an org's header: the Home tab gives each org a header (marked
 * "(default)" when there are several) followed by its figures.
 */
function monthToDateOf(view: unknown, orgLabel: string): string | undefined {
  let inOrg = false;
  for (const block of arrayField(view, 'blocks')) {
    if (stringField(block, 'type') === 'header') {
      const title = textObject(field(block, 'text'))?.text ?? '';
      inOrg = title === orgLabel || title.startsWith(`${orgLabel} (`);
      continue;
    }
    if (!inOrg) continue;
    const figure = arrayField(block, 'fields')
      .map((each) => textObject(each)?.text ?? '')
      .find((text) => text.startsWith(MONTH_TO_DATE_FIELD));
    if (figure !== undefined) return figure;
  }
  return undefined;
}
