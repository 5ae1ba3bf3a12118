import type { AckFn, AnyMiddlewareArgs, Middleware, webApi } from '@slack/bolt';
import { noticeModal } from '../blocks/home-notice-modal';
import { errorNotice } from '../blocks/notices';
import type { AppServices } from '../services/app-services';

/** The action IDs and view callback IDs some listener handles, as Bolt matches them (equal string or RegExp). */
export interface KnownInteractions {
  actions: Array<string | RegExp>;
  views: Array<string | RegExp>;
}

export const STALE_BUTTON = 'This button is from an older message; run /viam-usage again.';
export const STALE_FORM = 'This form is from an older version of the app; close it and open it again from /viam-usage.';

type Payload = Record<string, unknown>;

function matches(known: ReadonlyArray<string | RegExp>, id: unknown): boolean {
  return (
    typeof id === 'string' && known.some((pattern) => (typeof pattern === 'string' ? pattern === id : pattern.test(id)))
  );
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Payload)[name] : undefined;
}

/**
 * Buttons, menus and forms no listener knows: from an older message, an older version of the app, or
 * a crafted payload. Bolt would leave them unacknowledged, and Slack would show the user an error after
 * three seconds. This global middleware acknowledges them and tells the user, in one sentence, what to
 * do; everything a listener knows passes on untouched.
 */
export function unknownInteractions(services: AppServices, known: KnownInteractions): Middleware<AnyMiddlewareArgs> {
  // Built when needed: known interactions, nearly all of them, never log here.
  const log = () => services.logger.child({ component: 'unknown-interactions' });
  return async (args) => {
    const body = args.body as Payload;
    const ack = (args as { ack?: AckFn<unknown> }).ack;
    if (!ack) return args.next();
    switch (body.type) {
      case 'block_actions': {
        // Bolt routes a block_actions payload by its first action only.
        const actionId = field(Array.isArray(body.actions) ? body.actions[0] : undefined, 'action_id');
        if (matches(known.actions, actionId)) return args.next();
        await ack();
        log().info({ actionId: String(actionId) }, 'acknowledged an unknown action');
        await tellUser(body, args.client, services).catch((error: unknown) =>
          log().warn({ err: error }, 'could not tell the user that the button is out of date'),
        );
        return;
      }
      case 'view_submission':
        if (matches(known.views, field(body.view, 'callback_id'))) return args.next();
        log().info({ callbackId: String(field(body.view, 'callback_id')) }, 'acknowledged an unknown form');
        // The form itself shows the sentence: a submission has no channel and no response URL.
        return ack({ response_action: 'update', view: noticeModal(errorNotice(STALE_FORM)) });
      case 'view_closed':
        if (matches(known.views, field(body.view, 'callback_id'))) return args.next();
        return ack();
      case 'block_suggestion':
        // No menu of ours loads its options from the app; an empty list is the honest answer.
        return ack({ options: [] });
      case 'shortcut':
      case 'message_action':
        // The app defines no shortcuts; one arriving is from an older manifest.
        await ack();
        await tellUser(body, args.client, services).catch((error: unknown) =>
          log().warn({ err: error }, 'could not tell the user that the shortcut is out of date'),
        );
        return;
      default:
        return args.next();
    }
  };
}

/** On the message's response URL when there is one, else as a small modal on the press's trigger. */
async function tellUser(body: Payload, client: webApi.WebClient, services: AppServices): Promise<void> {
  const notice = errorNotice(STALE_BUTTON);
  if (typeof body.response_url === 'string') {
    await services.responseUrls.post(body.response_url, {
      response_type: 'ephemeral',
      replace_original: false,
      text: notice.text,
      blocks: notice.blocks,
    });
    return;
  }
  if (typeof body.trigger_id !== 'string') return;
  const insideModal = field(body.view, 'type') === 'modal';
  const view = noticeModal(notice);
  await (insideModal
    ? client.views.push({ trigger_id: body.trigger_id, view })
    : client.views.open({ trigger_id: body.trigger_id, view }));
}
