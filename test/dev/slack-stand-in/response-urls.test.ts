import {
  ManualClock,
  RESPONSE_URL_LIFETIME_MS,
  RESPONSE_URL_MAX_USES,
  RESPONSE_URL_METHOD,
  type SlackStandIn,
  startSlackStandIn,
} from '../../../dev/slack-stand-in';

function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('Slack stand-in response_url', () => {
  let standIn: SlackStandIn;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = new ManualClock();
    standIn = await startSlackStandIn({ clock });
  });

  afterEach(async () => {
    await standIn.stop();
  });

  it('records each post and answers 404 once the URL has been used five times', async () => {
    const url = standIn.responseUrl();
    expect(url).toMatch(new RegExp(`^${standIn.origin}/response/\\w+$`));
    for (let use = 1; use <= RESPONSE_URL_MAX_USES; use += 1) {
      const answer = await postJson(url, { text: `reply ${use}`, response_type: 'ephemeral' });
      expect(answer.status).toBe(200);
    }
    const sixth = await postJson(url, { text: 'one too many' });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'expired_url' });
    expect(standIn.responses(url).map((r) => (r.body as { text: string }).text)).toEqual([
      'reply 1',
      'reply 2',
      'reply 3',
      'reply 4',
      'reply 5',
    ]);
    expect(standIn.responseAttempts(url).map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 404]);
  });

  it('keeps the records of each response_url apart', async () => {
    const first = standIn.responseUrl();
    const second = standIn.responseUrl();
    await postJson(second, { text: 'to the second' });
    expect(standIn.responses(first)).toEqual([]);
    expect(standIn.responses(second)).toHaveLength(1);
  });

  it('expires after 30 minutes by the injected clock, or when told to', async () => {
    const aging = standIn.responseUrl();
    const killed = standIn.responseUrl();
    clock.advance(RESPONSE_URL_LIFETIME_MS - 1);
    expect((await postJson(aging, { text: 'just in time' })).status).toBe(200);
    clock.advance(1);
    expect((await postJson(aging, { text: 'too late' })).status).toBe(404);
    standIn.expireResponseUrl(killed);
    expect((await postJson(killed, { text: 'x' })).status).toBe(404);
    expect((await postJson(`${standIn.origin}/response/never-issued`, { text: 'x' })).status).toBe(404);
  });

  it('answers 400 to a body that is not JSON without using up the URL', async () => {
    const url = standIn.responseUrl();
    const answer = await fetch(url, { method: 'POST', body: 'text=hello' });
    expect(answer.status).toBe(400);
    expect(standIn.responses(url)).toEqual([]);
    expect(standIn.responseAttempts(url)).toHaveLength(1);
  });

  it('waits for a post that matches, including one already received', async () => {
    const url = standIn.responseUrl();
    const waiting = standIn.waitForResponse(url, (r) => (r.body as { text?: string }).text === 'done');
    await postJson(url, { text: 'working' });
    await postJson(url, { text: 'done', replace_original: true });
    await expect(waiting).resolves.toMatchObject({ body: { text: 'done', replace_original: true } });
    await expect(standIn.waitForResponse(url)).resolves.toMatchObject({ body: { text: 'working' } });
    await expect(standIn.waitForResponse(standIn.responseUrl(), undefined, 30)).rejects.toThrow(/Timed out/);
  });

  it('can fail response_url posts with an injected 5xx', async () => {
    const url = standIn.responseUrl();
    standIn.serverErrorNext(RESPONSE_URL_METHOD, 502);
    expect((await postJson(url, { text: 'x' })).status).toBe(502);
    expect((await postJson(url, { text: 'y' })).status).toBe(200);
  });
});
