/**
 * manifest.yml is what an admin pastes into api.slack.com to create the app; Slack rejects the whole paste over one
 * field, so its limits are checked here. Its bot scopes must be the stand-in's MANIFEST_BOT_SCOPES, so the scopes the
 * tests grant are exactly what a real install grants, and every event it subscribes to must have a listener.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { App } from '@slack/bolt';
import { parse } from 'yaml';
import { z } from 'zod';
import { MANIFEST_BOT_SCOPES } from '../dev/slack-stand-in';
import { SLASH_COMMAND } from '../src/blocks/ids';
import { registerListeners } from '../src/handlers';
import type { AppServices } from '../src/services/app-services';

const manifestSchema = z.object({
  display_information: z.object({
    name: z.string(),
    description: z.string(),
    long_description: z.string(),
    background_color: z.string(),
  }),
  features: z.object({
    bot_user: z.object({ display_name: z.string(), always_online: z.boolean() }),
    slash_commands: z.array(
      z.object({
        command: z.string(),
        description: z.string(),
        usage_hint: z.string(),
        should_escape: z.boolean(),
        url: z.string().optional(),
      }),
    ),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ bot_events: z.array(z.string()), request_url: z.string().optional() }),
    interactivity: z.object({ is_enabled: z.boolean(), request_url: z.string().optional() }),
    socket_mode_enabled: z.boolean(),
  }),
});

/**
 * Events the manifest subscribes to whose listeners belong to another piece of work (issue 6: uninstall cleanup).
 * The test below also fails once such a listener exists, so this list cannot go stale: delete the entry then.
 */
const LISTENERS_PENDING: readonly string[] = [];

const manifest = manifestSchema.parse(parse(readFileSync(path.join(__dirname, '..', 'manifest.yml'), 'utf8')));

/** The event names registerListeners subscribes to, read off a recording stand-in for Bolt's App. */
function registeredEvents(): string[] {
  const events: string[] = [];
  const ignore = () => recorder;
  const recorder = {
    use: ignore,
    command: ignore,
    action: ignore,
    view: ignore,
    shortcut: ignore,
    options: ignore,
    message: ignore,
    event: (name: unknown) => {
      events.push(String(name));
      return recorder;
    },
  };
  // The listener factories only close over the services; none is called while registering.
  registerListeners(recorder as unknown as App, {} as AppServices);
  return events;
}

describe('manifest.yml', () => {
  it('stays within Slack’s display limits', () => {
    const { name, description, long_description: longDescription, background_color } = manifest.display_information;
    expect(name.length).toBeGreaterThan(0);
    expect(name.length).toBeLessThanOrEqual(35);
    expect(description.length).toBeLessThanOrEqual(140);
    expect(longDescription.length).toBeGreaterThanOrEqual(174);
    expect(longDescription.length).toBeLessThanOrEqual(4000);
    expect(background_color).toMatch(/^#[0-9a-fA-F]{6}$/);
  });

  it('names the bot with the characters and length Slack allows', () => {
    expect(manifest.features.bot_user.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
  });

  it('declares the one slash command the app listens for, escaped so channel references arrive as ids', () => {
    expect(manifest.features.slash_commands).toHaveLength(1);
    const [command] = manifest.features.slash_commands;
    expect(command?.command).toBe(SLASH_COMMAND);
    expect(command?.command).toMatch(/^\/[^\s/]{1,31}$/);
    expect(command?.description.length).toBeGreaterThan(0);
    expect(command?.usage_hint.length).toBeLessThanOrEqual(1000);
    // `digest #billing` is parsed from `<#C0BILLING0|billing>`, which Slack sends only with escaping on.
    expect(command?.should_escape).toBe(true);
  });

  it('has no request URLs while Socket Mode is on (Slack refuses the pair)', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.slash_commands.every((command) => command.url === undefined)).toBe(true);
    expect(manifest.settings.event_subscriptions.request_url).toBeUndefined();
    expect(manifest.settings.interactivity.request_url).toBeUndefined();
  });

  it('grants exactly the bot scopes the Slack stand-in grants on install', () => {
    const scopes = manifest.oauth_config.scopes.bot;
    expect(new Set(scopes).size).toBe(scopes.length);
    expect([...scopes].sort()).toEqual([...MANIFEST_BOT_SCOPES].sort());
  });

  it('has a listener in src/handlers for every bot event it subscribes to', () => {
    const registered = new Set(registeredEvents());
    const events = manifest.settings.event_subscriptions.bot_events;
    expect(events.length).toBeGreaterThan(0);
    expect(events.filter((event) => !registered.has(event) && !LISTENERS_PENDING.includes(event))).toEqual([]);
    // A pending listener that has arrived, or a pending event dropped from the manifest, means the list is stale.
    expect(LISTENERS_PENDING.filter((event) => registered.has(event) || !events.includes(event))).toEqual([]);
    // And the app listens for nothing Slack would never send it.
    expect([...registered].filter((event) => !events.includes(event))).toEqual([]);
  });
});
