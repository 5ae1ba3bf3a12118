import {
  ProxySettingsError,
  parseNoProxy,
  proxyCredentials,
  proxyFor,
  proxySecrets,
  proxyVariables,
  readProxySettings,
} from '../../src/network/proxy-settings';

const target = (url: string) => new URL(url);

describe('reading the proxy variables', () => {
  it('has no proxy when none is set', () => {
    const settings = readProxySettings({});
    expect(settings.httpsProxy).toBeUndefined();
    expect(settings.httpProxy).toBeUndefined();
    expect(proxyFor(settings, target('https://slack.com/api/'))).toBeUndefined();
  });

  it.each([
    ['HTTPS_PROXY', 'https_proxy'],
    ['https_proxy', 'HTTPS_PROXY'],
  ])('reads %s (with %s unset)', (name) => {
    const settings = readProxySettings({ [name]: 'http://proxy.corp:3128' });
    expect(proxyFor(settings, target('https://slack.com/api/'))?.href).toBe('http://proxy.corp:3128/');
  });

  it('prefers the lower-case variable when both are set, as curl and undici do', () => {
    const settings = readProxySettings({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' });
    expect(settings.httpsProxy?.host).toBe('lower:1');
  });

  it('sends https targets through HTTP_PROXY when HTTPS_PROXY is unset, and http targets only through HTTP_PROXY', () => {
    const onlyHttp = readProxySettings({ HTTP_PROXY: 'http://plain:8080' });
    expect(proxyFor(onlyHttp, target('https://slack.com'))?.host).toBe('plain:8080');
    expect(proxyFor(onlyHttp, target('http://127.0.0.1:9'))?.host).toBe('plain:8080');
    const onlyHttps = readProxySettings({ HTTPS_PROXY: 'http://secure:8080' });
    expect(proxyFor(onlyHttps, target('https://slack.com'))?.host).toBe('secure:8080');
    expect(proxyFor(onlyHttps, target('http://127.0.0.1:9'))).toBeUndefined();
    expect(proxyFor(onlyHttps, target('wss://wss-primary.slack.com/link'))?.host).toBe('secure:8080');
  });

  it('reads a proxy written without a scheme as http://', () => {
    expect(readProxySettings({ HTTPS_PROXY: 'proxy.corp:3128' }).httpsProxy?.href).toBe('http://proxy.corp:3128/');
  });

  it('refuses an https:// proxy, a path and a non-URL with one sentence each, never repeating the URL', () => {
    let caught: unknown;
    try {
      readProxySettings({
        HTTPS_PROXY: 'https://user:s3cret-pass@proxy.corp:443',
        http_proxy: 'http://user:other-pass@proxy.corp:3128/some/path',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProxySettingsError);
    const problems = (caught as ProxySettingsError).problems;
    expect(problems).toEqual([
      'HTTPS_PROXY must be an http:// proxy URL, not https://: the app speaks plain HTTP to the proxy and TLS to Slack and Viam inside the tunnel it opens.',
      'http_proxy must be just scheme, host and port (and user:password@ if the proxy asks for them).',
    ]);
    expect(problems.join(' ')).not.toMatch(/s3cret|other-pass|proxy\.corp/);
    expect(() => readProxySettings({ HTTPS_PROXY: 'http://' })).toThrow('HTTPS_PROXY is not a URL');
  });

  it('keeps the proxy credentials for Proxy-Authorization and lists the password as a secret', () => {
    const settings = readProxySettings({ HTTPS_PROXY: 'http://svc%40corp:p%3Ass@proxy.corp:3128' });
    const proxy = proxyFor(settings, target('https://slack.com'));
    expect(proxy && proxyCredentials(proxy)).toEqual({ user: 'svc@corp', password: 'p:ss' });
    expect(proxySecrets(settings)).toEqual(expect.arrayContaining(['p%3Ass', 'p:ss']));
    expect(proxyCredentials(new URL('http://proxy.corp:3128'))).toBeUndefined();
  });
});

describe('NO_PROXY', () => {
  const withNoProxy = (value: string, name = 'NO_PROXY') =>
    readProxySettings({ HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128', [name]: value });
  const direct = (value: string, url: string, name?: string) =>
    proxyFor(withNoProxy(value, name), target(url)) === undefined;

  it('is read in lower case too', () => {
    expect(direct('viam.com', 'https://app.viam.com', 'no_proxy')).toBe(true);
  });

  it('matches a domain and its subdomains, written bare, with a leading dot or with *.', () => {
    for (const entry of ['viam.com', '.viam.com', '*.viam.com']) {
      expect(direct(entry, 'https://app.viam.com:443')).toBe(true);
      expect(direct(entry, 'https://viam.com')).toBe(true);
      expect(direct(entry, 'https://notviam.com')).toBe(false);
    }
  });

  it('trims entries, splits on commas and spaces, ignores case and empty entries', () => {
    const value = ' slack.com ,  , APP.viam.com internal.corp,';
    expect(direct(value, 'https://hooks.slack.com')).toBe(true);
    expect(direct(value, 'https://app.viam.com')).toBe(true);
    expect(direct(value, 'https://x.internal.corp')).toBe(true);
    // grpc-js would read the empty entries as "bypass everything"; here they match nothing.
    expect(direct(value, 'https://files.example.org')).toBe(false);
  });

  it('matches a host only on a given port when the entry names one', () => {
    expect(direct('app.viam.com:8443', 'https://app.viam.com:8443')).toBe(true);
    expect(direct('app.viam.com:8443', 'https://app.viam.com')).toBe(false);
    expect(direct('app.viam.com:443', 'https://app.viam.com')).toBe(true);
  });

  it('matches IP addresses exactly and address ranges by CIDR, IPv4 and IPv6', () => {
    expect(direct('127.0.0.1', 'http://127.0.0.1:8080')).toBe(true);
    expect(direct('127.0.0.1', 'http://127.0.0.2:8080')).toBe(false);
    expect(direct('10.0.0.0/8', 'https://10.20.30.40')).toBe(true);
    expect(direct('10.0.0.0/8', 'https://11.0.0.1')).toBe(false);
    expect(direct('::1', 'http://[::1]:8080')).toBe(true);
    expect(direct('[::1]:8080', 'http://[::1]:8080')).toBe(true);
    expect(direct('fd00::/8', 'https://[fd12::1]')).toBe(true);
  });

  it('sends everything directly for *', () => {
    expect(direct('*', 'https://slack.com')).toBe(true);
  });

  it('does not bypass loopback unless listed, as curl, undici and grpc-js do not', () => {
    expect(direct('', 'http://localhost:8080')).toBe(false);
    expect(direct('localhost,127.0.0.1', 'http://localhost:8080')).toBe(true);
  });

  it('is a matcher on its own', () => {
    expect(parseNoProxy('example.com').matches('a.example.com.', 443)).toBe(true);
  });
});

describe('proxyVariables', () => {
  it('gives back variables that read as the same settings (for answer threads, which take plain data)', () => {
    const settings = readProxySettings({
      HTTPS_PROXY: 'http://user:pass@proxy.corp:3128',
      http_proxy: 'http://plain.corp:8080',
      NO_PROXY: 'localhost, .internal.corp,10.0.0.0/8',
    });
    const again = readProxySettings(proxyVariables(settings));
    expect(again.httpsProxy?.href).toBe(settings.httpsProxy?.href);
    expect(again.httpProxy?.href).toBe(settings.httpProxy?.href);
    for (const [host, port] of [
      ['localhost', 80],
      ['api.internal.corp', 443],
      ['10.1.2.3', 443],
      ['slack.com', 443],
    ] as const) {
      expect(again.noProxy.matches(host, port)).toBe(settings.noProxy.matches(host, port));
    }
    expect(proxyVariables(readProxySettings({}))).toEqual({ no_proxy: '' });
  });
});
