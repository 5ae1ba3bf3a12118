import { DEFAULT_VIAM_URL, isLoopbackHost, resolveEndpoint } from '../../src/billing/endpoint';
import { ViamBillingError } from '../../src/billing/errors';

describe('resolveEndpoint', () => {
  it('uses TLS for Viam by default', () => {
    const endpoint = resolveEndpoint();
    expect(DEFAULT_VIAM_URL).toBe('https://app.viam.com:443');
    expect(endpoint.target).toBe('app.viam.com:443');
    expect(endpoint.secure).toBe(true);
    expect(endpoint.credentials._isSecure()).toBe(true);
  });

  it('uses TLS on port 443 for an https URL without a port', () => {
    const endpoint = resolveEndpoint('https://app.viam.com');
    expect(endpoint).toMatchObject({ target: 'app.viam.com:443', secure: true });
    expect(endpoint.credentials._isSecure()).toBe(true);
  });

  it('uses plaintext only for http URLs', () => {
    const endpoint = resolveEndpoint('http://127.0.0.1:50051/');
    expect(endpoint).toMatchObject({ target: '127.0.0.1:50051', secure: false });
    expect(endpoint.credentials._isSecure()).toBe(false);
    expect(resolveEndpoint('http://localhost').target).toBe('localhost:80');
    expect(resolveEndpoint('http://[::1]:7000').target).toBe('[::1]:7000');
  });

  it.each([
    'http://app.viam.com:443',
    'http://10.0.0.5:8080',
    'http://192.168.1.20',
    'http://[2001:db8::1]:443',
    'http://localhost.example.com',
    'http://128.0.0.1',
  ])('refuses plaintext to %s, which is not this machine', (url) => {
    expect(() => resolveEndpoint(url)).toThrow(ViamBillingError);
    expect(() => resolveEndpoint(url)).toThrow(
      'The Viam API URL may use plaintext http:// only for this machine (localhost, 127.0.0.0/8 or ::1); use https:// for any other host.',
    );
  });

  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['[::1]', true],
    ['::1', true],
    ['[::ffff:7f00:1]', true],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
    ['[::2]', false],
    ['[::ffff:a00:1]', false],
    ['localhost.example.com', false],
    ['app.viam.com', false],
  ])('knows whether %s is this machine (%s)', (hostname, loopback) => {
    expect(isLoopbackHost(hostname)).toBe(loopback);
  });

  it('normalises the loopback forms a URL may spell', () => {
    for (const url of [
      'http://127.1:9',
      'http://0x7f.1:9',
      'http://[0:0:0:0:0:0:0:1]:9',
      'http://[::ffff:127.0.0.1]:9',
    ]) {
      expect(resolveEndpoint(url).secure).toBe(false);
    }
  });

  it.each([
    ['app.viam.com:443', /not a valid URL|must start with https/],
    ['grpc://app.viam.com', /must start with https:\/\/ \(or http:\/\/ for a local emulator\), not grpc:/],
    ['https://app.viam.com/api', /just scheme, host and port/],
    ['https://app.viam.com/?x=1', /just scheme, host and port/],
    ['not a url', /not a valid URL/],
  ])('rejects %s with a clear config error', (url, message) => {
    expect(() => resolveEndpoint(url)).toThrow(ViamBillingError);
    expect(() => resolveEndpoint(url)).toThrow(message);
  });

  it('never repeats credentials embedded in the URL', () => {
    let message = '';
    try {
      resolveEndpoint('https://user:hunter2-secret@app.viam.com');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/user name or password/);
    expect(message).not.toContain('hunter2');
  });
});
