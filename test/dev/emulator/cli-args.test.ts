import { CliUsageError, DEFAULT_CLI_PORT, parseCliArgs } from '../../../dev/emulator/cli-args';

describe('parseCliArgs', () => {
  it('defaults to 127.0.0.1:8081', () => {
    expect(parseCliArgs([])).toEqual({ port: DEFAULT_CLI_PORT, host: '127.0.0.1', tls: false, help: false });
    expect(DEFAULT_CLI_PORT).toBe(8081);
  });

  it('reads flags in both --flag value and --flag=value forms', () => {
    expect(parseCliArgs(['--port', '0', '--host=0.0.0.0', '--fixture', 'orgs.json', '--token-ttl=600'])).toEqual({
      port: 0,
      host: '0.0.0.0',
      fixturePath: 'orgs.json',
      tokenTtlSeconds: 600,
      tls: false,
      help: false,
    });
    expect(parseCliArgs(['-h']).help).toBe(true);
    expect(parseCliArgs(['--tls']).tls).toBe(true);
  });

  it.each([
    [['--prot', '1'], 'unknown option "--prot" (try --help)'],
    [['8081'], 'unknown option "8081" (try --help)'],
    [['--port'], '--port needs a value'],
    [['--port='], '--port needs a value'],
    [['--port', '65536'], '--port must be a whole number from 0 to 65535, got "65536"'],
    [['--port', '-1'], '--port must be a whole number from 0 to 65535, got "-1"'],
    [['--port', '80.5'], '--port must be a whole number from 0 to 65535, got "80.5"'],
    [['--token-ttl', '0'], '--token-ttl must be at least 1 second'],
  ])('refuses %j with one clear message', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(new CliUsageError(message));
  });
});
