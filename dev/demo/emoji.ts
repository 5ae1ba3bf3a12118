/**
 * The emoji shortcodes the app's messages use (and a few common ones), as Unicode. Unknown codes stay
 * `:name:`, which is also what Slack shows for an emoji it does not know.
 */
const EMOJI: Readonly<Record<string, string>> = {
  warning: '⚠️',
  x: '❌',
  lock: '🔒',
  calendar: '📅',
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  information_source: 'ℹ️',
  mag: '🔍',
  rotating_light: '🚨',
  red_circle: '🔴',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  bell: '🔔',
  moneybag: '💰',
  credit_card: '💳',
  page_facing_up: '📄',
  paperclip: '📎',
  robot_face: '🤖',
  wave: '👋',
  tada: '🎉',
};

export function emojiFor(name: string): string | undefined {
  return Object.hasOwn(EMOJI, name) ? EMOJI[name] : undefined;
}

/** Replaces the shortcodes this module knows, e.g. `:warning:`; others stay as typed. */
export function replaceEmojiCodes(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => emojiFor(name) ?? whole);
}
