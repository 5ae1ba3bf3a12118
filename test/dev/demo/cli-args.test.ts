import path from 'node:path';
import { parseDemoArgs } from '../../../dev/demo/cli-args';

const cwd = '/work/project';

describe('parseDemoArgs', () => {
  it('runs the whole walkthrough into demo-output by default', () => {
    expect(parseDemoArgs([], cwd)).toEqual({ kind: 'run', outDir: path.join(cwd, 'demo-output') });
  });

  it('takes the remaining words as one command, keeping the app’s own options', () => {
    expect(parseDemoArgs(['invoices', '--all'], cwd)).toMatchObject({ command: 'invoices --all' });
    expect(parseDemoArgs(['usage --org rivet'], cwd)).toMatchObject({ command: 'usage --org rivet' });
    expect(parseDemoArgs(['--', 'usage'], cwd)).toMatchObject({ command: 'usage' });
    // An empty command is the overview, not the walkthrough.
    expect(parseDemoArgs([''], cwd)).toMatchObject({ command: '' });
  });

  it('reads its own options anywhere, with a space or an equals sign', () => {
    expect(parseDemoArgs(['billing', '--as', 'linus', '--in=general', '--out', 'x', '--no-color'], cwd)).toEqual({
      kind: 'run',
      command: 'billing',
      as: 'linus',
      channel: 'general',
      outDir: path.join(cwd, 'x'),
      color: false,
    });
  });

  it('asks for help, and refuses options without their value', () => {
    expect(parseDemoArgs(['usage', '-h'], cwd)).toEqual({ kind: 'help' });
    expect(parseDemoArgs(['--help'], cwd)).toEqual({ kind: 'help' });
    expect(parseDemoArgs(['--out'], cwd)).toEqual({
      kind: 'error',
      message: expect.stringMatching(/^--out needs a value/),
    });
    expect(parseDemoArgs(['--as', '--out', 'x'], cwd)).toMatchObject({ kind: 'error' });
    expect(parseDemoArgs(['--as', 'linus'], cwd)).toEqual({
      kind: 'error',
      message: expect.stringContaining('go with a command'),
    });
  });
});
