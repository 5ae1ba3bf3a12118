import { displayWidth, paint, run, wrapRuns } from '../../../dev/demo/text-layout';

describe('displayWidth', () => {
  it('counts emoji and East Asian characters as two columns and joiners as none', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('⚠️')).toBe(2);
    expect(displayWidth('❌✅📅')).toBe(6);
    expect(displayWidth('東京')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('– · …')).toBe(5);
  });
});

describe('wrapRuns', () => {
  it('wraps across differently styled runs without splitting a word', () => {
    const lines = wrapRuns([run('one '), run('two', { bold: true }), run(', three four')], 9);
    expect(lines.map((line) => line.map((each) => each.text).join(''))).toEqual(['one two,', 'three', 'four']);
    expect(lines[0]?.find((each) => each.text === 'two')?.style).toEqual({ bold: true });
  });

  it('keeps leading indentation and empty lines', () => {
    const lines = wrapRuns([run('  a\n\nb')], 10).map((line) => line.map((each) => each.text).join(''));
    expect(lines).toEqual(['  a', '', 'b']);
  });
});

describe('paint', () => {
  it('writes one escape pair per styled stretch, and none without colour', () => {
    const line = [run('a', { bold: true }), run('b', { bold: true }), run(' c'), run('d', { dim: true, color: 'red' })];
    expect(paint(line, true)).toBe('\x1b[1mab\x1b[0m c\x1b[2;31md\x1b[0m');
    expect(paint(line, false)).toBe('ab cd');
  });
});
