import type { SupportHandlers, SupportInfo, SupportOptions } from '../processes/support';
import { forkTs, type TsChild } from './processes';

export type Support = TsChild<SupportHandlers, SupportInfo>;

/** Starts the emulator and the Slack stand-in (and the fake Slack API, if asked) in their own process. */
export function startSupport(options: SupportOptions = {}): Promise<Support> {
  return forkTs<SupportHandlers, SupportInfo>('bench/processes/support.ts', {
    args: [JSON.stringify(options)],
    name: 'bench support process',
  });
}
