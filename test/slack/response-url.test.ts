import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { ResponseUrlClient, ResponseUrlError } from '../../src/slack/response-url';

interface Received {
  method?: string;
  path?: string;
  contentType?: string;
  body: string;
}

/** A loopback server standing where Slack's response URLs are: answers each request with the next status given. */
async function startServer(statuses: number[], options: { stallMs?: number } = {}) {
  const received: Received[] = [];
  let connections = 0;
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ method: request.method, path: request.url, contentType: request.headers['content-type'], body });
      const answer = () => {
        response.statusCode = statuses.shift() ?? 200;
        response.end(response.statusCode === 200 ? 'ok' : 'expired_url');
      };
      if (options.stallMs) setTimeout(answer, options.stallMs).unref();
      else answer();
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    connections: () => connections,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('answers at a response URL', () => {
  let client: ResponseUrlClient;
  let agent: Agent;
  beforeEach(() => {
    agent = new Agent();
  });
  afterEach(() => agent.close());

  it('POSTs the message as JSON and reuses kept-alive connections for later answers', async () => {
    const server = await startServer([200, 200, 200, 200, 200]);
    client = new ResponseUrlClient(agent);
    try {
      const message = { response_type: 'ephemeral', replace_original: false, text: 'Spend: $1,234.56 — “ok”' };
      for (let index = 0; index < 5; index++) await client.post(server.url(`/commands/T1/${index}/secret`), message);
      expect(server.received).toHaveLength(5);
      expect(server.received[0]).toMatchObject({
        method: 'POST',
        path: '/commands/T1/0/secret',
        contentType: 'application/json; charset=utf-8',
      });
      expect(JSON.parse(server.received[2]?.body ?? '')).toEqual(message);
      // undici's pool may open a second socket for an answer sent the moment the previous one ends;
      // never one per answer.
      expect(server.connections()).toBeLessThanOrEqual(2);
    } finally {
      await server.stop();
    }
  });

  it('rejects an answer Slack refuses with its status, never with the URL', async () => {
    const server = await startServer([404]);
    client = new ResponseUrlClient(agent);
    try {
      const url = server.url('/commands/T1/2/a-secret-part-of-the-url');
      const failure = await client.post(url, { text: 'late' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(ResponseUrlError);
      expect((failure as ResponseUrlError).status).toBe(404);
      expect((failure as Error).message).toBe('Slack did not accept the answer at the response URL (HTTP 404).');
      expect((failure as Error).message).not.toContain('a-secret-part');
    } finally {
      await server.stop();
    }
  });

  it('gives up on a response URL that does not answer in time', async () => {
    const server = await startServer([200], { stallMs: 2_000 });
    client = new ResponseUrlClient(agent, 200);
    try {
      await expect(client.post(server.url('/slow'), { text: 'x' })).rejects.toThrow(
        'Slack did not answer at the response URL in time.',
      );
    } finally {
      await server.stop();
    }
  });

  it('refuses a response URL that is not an HTTP URL, without sending anything', async () => {
    client = new ResponseUrlClient(agent);
    await expect(client.post('not a url', { text: 'x' })).rejects.toThrow('The response URL Slack sent is not a URL.');
    await expect(client.post('file:///etc/passwd', { text: 'x' })).rejects.toThrow(
      'The response URL Slack sent is not an HTTP URL.',
    );
  });
});
