/** What saving the access form changes: the submitted list becomes the list of granted viewers. */
import { MAX_VIEWERS } from '../store/workspaces';

export type AccessFormCheck = { ok: true; grant: string[]; revoke: string[] } | { ok: false; problem: string };

const USER_ID = /^[UW][A-Z0-9]{2,31}$/;

export function checkAccessForm(current: readonly string[], wanted: readonly string[]): AccessFormCheck {
  const people = [...new Set(wanted)];
  if (people.some((id) => !USER_ID.test(id))) return { ok: false, problem: 'Pick people from the list.' };
  if (people.length > MAX_VIEWERS) {
    return { ok: false, problem: `At most ${MAX_VIEWERS} people can be given view access; remove some.` };
  }
  return {
    ok: true,
    grant: people.filter((id) => !current.includes(id)),
    revoke: current.filter((id) => !people.includes(id)),
  };
}
