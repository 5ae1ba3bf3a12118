import { checkAccessForm } from '../../src/home/access-form';
import { MAX_VIEWERS } from '../../src/store/workspaces';

describe('checkAccessForm', () => {
  it('grants who is new and revokes who was left out', () => {
    expect(checkAccessForm(['U0ANN', 'U0BOB'], ['U0BOB', 'U0CAT', 'U0CAT'])).toEqual({
      ok: true,
      grant: ['U0CAT'],
      revoke: ['U0ANN'],
    });
    expect(checkAccessForm(['U0ANN'], [])).toEqual({ ok: true, grant: [], revoke: ['U0ANN'] });
    expect(checkAccessForm([], [])).toEqual({ ok: true, grant: [], revoke: [] });
  });

  it('refuses anything but people, and more people than the store keeps', () => {
    expect(checkAccessForm([], ['C0GENERAL0'])).toEqual({ ok: false, problem: 'Pick people from the list.' });
    const crowd = Array.from({ length: MAX_VIEWERS + 1 }, (_, index) => `U${String(index).padStart(8, '0')}`);
    expect(checkAccessForm([], crowd)).toEqual({
      ok: false,
      problem: `At most ${MAX_VIEWERS} people can be given view access; remove some.`,
    });
  });
});
