/**
 * The bench's supporting cast in a process of its own, so their work never runs on the event loop
 * being measured: the Viam billing emulator (real gRPC), the Slack stand-in (Web API, response URLs,
 * file uploads) and, when asked, the small fake Slack API of the digest fan-out.
 *
 * Started by bench/lib/support.ts with its options as one JSON argument; answers calls over IPC.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import {
  buildFixture,
  EMULATOR_METHODS,
  type EmulatorFixture,
  type EmulatorMethod,
  loadFixture,
  type RunningEmulator,
  startEmulator,
} from '../../dev/emulator';
import { responseUrlId, SEED, type SlackStandIn, startSlackStandIn } from '../../dev/slack-stand-in';
import { type FakeSlack, startFakeSlack } from '../lib/fake-slack';
import { serveParent } from '../lib/ipc';

export interface SupportOptions {
  /** Serve this many generated orgs (buildFixture) instead of the demo fixture. */
  orgCount?: number;
  fixtureSeed?: number;
  /** Start the fake Slack API with this latency per call. */
  fakeSlackLatencyMs?: number;
  /**
   * Run at this lower CPU priority. The ack benchmark asks for it: the stand-ins play services that run
   * on other machines in production, and on the bench's two cores they would take a core's share from
   * the acking thread under test whenever the app answers. Benchmarks that measure the app's throughput
   * leave it off: there a starved stand-in answers late, and the app holds more work in flight.
   */
  niceness?: number;
}

export interface SupportInfo {
  emulatorUrl: string;
  demoOrg: { orgId: string; apiKeyId: string; apiKey: string };
  slackApiUrl: string;
  signingSecret: string;
  botToken: string;
  fakeSlackUrl?: string;
}

interface Cast {
  fixture: EmulatorFixture;
  emulator: RunningEmulator;
  slack: SlackStandIn;
  fake?: FakeSlack;
}

/** High-resolution wall-clock time, comparable across the bench's processes. */
const wallNow = () => performance.timeOrigin + performance.now();

function createHandlers({ fixture, emulator, slack, fake }: Cast) {
  return {
    /** Every RPC of the emulator waits `ms` before answering. */
    setViamLatency: ({ ms }: { ms: number }) => {
      for (const method of EMULATOR_METHODS) emulator.knobs.setLatency(method, ms);
    },
    viamCallCounts: () =>
      Object.fromEntries(EMULATOR_METHODS.map((method) => [method, emulator.knobs.callCount(method)])) as Record<
        EmulatorMethod,
        number
      >,
    /** Pads the first org's latest invoice PDF to `bytes`; another of its invoices keeps its natural size. */
    padInvoicePdf: ({ bytes }: { bytes: number }) => {
      const [latest, older] = [...(fixture.orgs[0]?.invoices ?? [])].sort((a, b) => a.monthsAgo - b.monthsAgo);
      if (!latest || !older) throw new Error('the first org needs two invoices');
      emulator.knobs.setPdfSize(latest.id, bytes);
      return { bigInvoiceId: latest.id, smallInvoiceId: older.id };
    },
    responseUrls: ({ count }: { count: number }) => Array.from({ length: count }, () => slack.responseUrl()),
    /** Resolves with the wall-clock time the answer to `url` arrived (wait first, then send the command). */
    awaitResponse: async ({ url, timeoutMs }: { url: string; timeoutMs: number }) => {
      const response = await slack.waitForResponse(url, undefined, timeoutMs);
      return { arrivedAt: wallNow(), error: !isOverview(response.body) };
    },
    /** When (epoch ms) the first accepted answer to each URL arrived, null where none did; one pass over the answers. */
    responseArrivals: ({ urls }: { urls: string[] }) => {
      const firstAt = new Map<string, number>();
      for (const response of slack.responses()) if (!firstAt.has(response.id)) firstAt.set(response.id, response.at);
      return urls.map((url) => firstAt.get(responseUrlId(url)) ?? null);
    },
    /** How many answers arrived on response URLs, and how many of them were not the overview. */
    responseCounts: () => {
      const accepted = slack.responses();
      return { accepted: accepted.length, errors: accepted.filter((response) => !isOverview(response.body)).length };
    },
    uploadedFileSizes: () => slack.uploadedFiles().map((file) => file.bytes.length),
    fakeSlackStats: () => fake?.stats(),
    resetFakeSlack: () => fake?.reset(),
    /** Public channels in the seeded team with the bot in them, for digests of many workspaces (single-token mode). */
    addChannels: ({ ids }: { ids: string[] }) => {
      for (const id of ids) {
        if (!slack.workspace.channel(id))
          slack.workspace.addChannel(SEED.team.id, { id, name: id.toLowerCase(), botIsMember: true });
      }
    },
    addUser: ({ id, name }: { id: string; name: string }) => {
      if (!slack.workspace.user(id)) slack.workspace.addUser(SEED.team.id, { id, name });
    },
    /** Top-level chat.postMessage calls to channels starting with `prefix`: how many, where, when (wall-clock ms). */
    channelPosts: ({ prefix }: { prefix: string }) => {
      const perChannel = new Map<string, number>();
      const errors: Record<string, number> = {};
      let firstAt = Number.POSITIVE_INFINITY;
      let lastAt = 0;
      for (const call of slack.calls('chat.postMessage')) {
        const channel = String(call.args.channel ?? '');
        if (!channel.startsWith(prefix) || call.args.thread_ts !== undefined) continue;
        if (!call.ok) {
          const code = call.error ?? `http_${call.status}`;
          errors[code] = (errors[code] ?? 0) + 1;
          continue;
        }
        perChannel.set(channel, (perChannel.get(channel) ?? 0) + 1);
        firstAt = Math.min(firstAt, call.at);
        lastAt = Math.max(lastAt, call.at);
      }
      let posts = 0;
      for (const count of perChannel.values()) posts += count;
      return {
        posts,
        channels: perChannel.size,
        errors,
        firstAt: posts > 0 ? firstAt : undefined,
        lastAt: posts > 0 ? lastAt : undefined,
      };
    },
    /** The text of the first answer at each response URL (its first section's text, else `text`), or null. */
    answerTexts: ({ urls }: { urls: string[] }) =>
      urls.map((url) => {
        const [first] = slack.responses(url);
        return first === undefined ? null : answerText(first.body);
      }),
    resetSlack: () => slack.resetRecords(),
  };
}

export type SupportHandlers = ReturnType<typeof createHandlers>;

/** Lowers every thread of this process (threads it starts later inherit it); Linux only. */
function lowerOwnPriority(niceness: number): void {
  if (process.platform !== 'linux') return;
  for (const threadId of readdirSync('/proc/self/task')) setPriority(Number(threadId), niceness);
}

async function main(options: SupportOptions): Promise<void> {
  if (options.niceness !== undefined) lowerOwnPriority(options.niceness);
  const fixture =
    options.orgCount === undefined
      ? loadFixture()
      : buildFixture({ orgCount: options.orgCount, seed: options.fixtureSeed });
  const emulator = await startEmulator({ fixture });
  const slack = await startSlackStandIn();
  const fake = options.fakeSlackLatencyMs === undefined ? undefined : await startFakeSlack(options.fakeSlackLatencyMs);
  const demo = emulator.orgs[0];
  if (!demo) throw new Error('the emulator has no org');
  const info: SupportInfo = {
    emulatorUrl: emulator.url,
    demoOrg: { orgId: demo.orgId, apiKeyId: demo.apiKeyId, apiKey: demo.apiKey },
    slackApiUrl: slack.url,
    signingSecret: slack.app.signingSecret,
    botToken: SEED.botToken,
    ...(fake ? { fakeSlackUrl: fake.url } : {}),
  };
  serveParent(createHandlers({ fixture, emulator, slack, ...(fake ? { fake } : {}) }), info);
}

function answerText(body: unknown): string {
  const { blocks, text } = body as { blocks?: Array<{ text?: { text?: string } }>; text?: string };
  return blocks?.find((block) => typeof block.text?.text === 'string')?.text?.text ?? text ?? '';
}

/** The overview opens with its header, `Viam billing · <org>`; error and access notices do not. */
function isOverview(body: unknown): boolean {
  const [first] = (body as { blocks?: Array<{ type?: string; text?: { text?: string } }> }).blocks ?? [];
  return first?.type === 'header' && (first.text?.text?.startsWith('Viam billing') ?? false);
}

main(JSON.parse(process.argv[2] ?? '{}') as SupportOptions).catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
