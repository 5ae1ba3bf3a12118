import { parseBenchArgs } from '../../../bench/lib/options';

describe('parseBenchArgs', () => {
  it('takes names and the scale options, in either spelling', () => {
    expect(parseBenchArgs(['scale', '--workspaces', '2000', '--json', 'out.json'])).toEqual({
      names: ['scale'],
      workspaces: 2000,
      json: 'out.json',
      docs: false,
      help: false,
    });
    expect(parseBenchArgs(['--workspaces=100_000', 'scale', '--docs'])).toMatchObject({
      names: ['scale'],
      workspaces: 100_000,
      docs: true,
    });
    expect(parseBenchArgs([])).toEqual({ names: [], docs: false, help: false });
    expect(parseBenchArgs(['-h'])).toMatchObject({ help: true });
  });

  it('takes the stores of the scale benchmark and refuses one it does not know', () => {
    expect(parseBenchArgs(['scale', '--stores', 'postgres,sqlite'])).toMatchObject({ stores: ['postgres', 'sqlite'] });
    expect(parseBenchArgs(['scale', '--stores=redis'])).toMatchObject({ stores: ['redis'] });
    expect(parseBenchArgs(['scale', '--stores', 'mysql'])).toEqual({ error: expect.stringContaining('"mysql"') });
  });

  it('refuses a bad count, a missing value and unknown options', () => {
    expect(parseBenchArgs(['scale', '--workspaces', 'many'])).toEqual({
      error: expect.stringContaining('whole number'),
    });
    expect(parseBenchArgs(['scale', '--workspaces', '3'])).toEqual({ error: expect.stringContaining('at least') });
    expect(parseBenchArgs(['scale', '--json'])).toEqual({ error: '--json needs a value' });
    expect(parseBenchArgs(['--fast'])).toEqual({ error: 'unknown option --fast' });
  });
});
