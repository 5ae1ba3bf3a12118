import { App } from '@slack/bolt';
import WebSocket from 'ws';
import {
  appUninstalledEvent,
  eventCallbackEnvelope,
  SEED,
  type SlackStandIn,
  slashCommandFields,
  startSlackStandIn,
} from '../../../dev/slack-stand-in';
import { addPingCommand, boltOptions } from './bolt-apps';

describe('Socket Mode stand-in with a Bolt app', () => {
  let standIn: SlackStandIn;
  let app: App;
  const uninstalledTeams: string[] = [];

  beforeAll(async () => {
    standIn = await startSlackStandIn();
    app = new App({ ...boltOptions(standIn), socketMode: true, appToken: standIn.app.appToken });
    addPingCommand(app);
    app.event('app_uninstalled', async ({ body }) => {
      uninstalledTeams.push(body.team_id);
    });
    // Resolves only after the stand-in's `hello`.
    await app.start();
  });

  afterAll(async () => {
    await app.stop();
    await standIn.stop();
  });

  it('hands out the WebSocket URL through apps.connections.open for the app token', () => {
    expect(standIn.calls('apps.connections.open')).toEqual([
      expect.objectContaining({ ok: true, token: standIn.app.appToken }),
    ]);
    expect(standIn.socketMode.openConnections()).toBe(1);
  });

  it('delivers a slash command envelope, receives the ack, and the reply through response_url', async () => {
    const responseUrl = standIn.responseUrl();
    const payload = slashCommandFields({
      team: SEED.team,
      user: { id: SEED.users.ada, name: 'ada' },
      channel: { id: SEED.channels.general, name: 'general' },
      command: '/ping',
      responseUrl,
      triggerId: standIn.triggerId(),
    });
    const ack = await standIn.socketMode.sendEnvelope({ type: 'slash_commands', payload, envelopeId: 'env-ping-1' });
    expect(ack).toMatchObject({ envelope_id: 'env-ping-1', payload: {} });
    await expect(standIn.waitForResponse(responseUrl)).resolves.toMatchObject({ body: { text: 'pong' } });
  });

  it('delivers an events_api envelope, acked before the listener runs', async () => {
    const payload = eventCallbackEnvelope({ team: SEED.team.id, event: appUninstalledEvent() });
    const ack = await standIn.socketMode.sendEnvelope({ type: 'events_api', payload });
    expect(ack.envelope_id).toMatch(/standin$/);
    expect(uninstalledTeams).toEqual([SEED.team.id]);
    expect(standIn.socketMode.acks()).toHaveLength(2);
  });

  it('refuses a WebSocket connection without a ticket it issued', async () => {
    const origin = standIn.origin.replace('http', 'ws');
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${origin}/link/?ticket=forged&app_id=${standIn.app.appId}`);
      socket.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        socket.terminate();
      });
      socket.on('open', () => reject(new Error('connection should have been refused')));
      socket.on('error', () => {});
    });
    expect(status).toBe(401);
  });
});
