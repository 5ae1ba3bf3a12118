import type { IncomingHttpHeaders } from 'node:http';
import type { Clock } from '../clock';
import type { FileStore } from '../file-store';
import type { IdFactory } from '../ids';
import type { MessageStore } from '../message-store';
import type { StandInAppConfig } from '../seed';
import type { TokenRotation } from '../token-rotation';
import type { TriggerIds } from '../triggers';
import type { ViewStore } from '../view-store';
import { MalformedJson } from '../wire';
import type { StandInTeam, Workspaces } from '../workspace';
import type { OAuthCodes } from './oauth';

/** Everything a method handler may read or change. */
export interface StandInState {
  clock: Clock;
  ids: IdFactory;
  app: Readonly<StandInAppConfig>;
  workspaces: Workspaces;
  messages: MessageStore;
  files: FileStore;
  views: ViewStore;
  triggers: TriggerIds;
  oauthCodes: OAuthCodes;
  tokenRotation: TokenRotation;
  socketMode: { connectionUrl(origin: string): string };
  /** `http://127.0.0.1:PORT` */
  origin: string;
}

export interface MethodCall {
  method: string;
  args: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  state: StandInState;
}

/** A call made with a working bot token. */
export interface BotCall extends MethodCall {
  team: Readonly<StandInTeam>;
}

export type MethodAnswer = { ok: boolean; error?: string } & Record<string, unknown>;

export type MethodSpec =
  | { auth: 'bot'; scopes?: readonly string[]; handle(call: BotCall): MethodAnswer }
  | { auth: 'app'; handle(call: MethodCall): MethodAnswer }
  | { auth: 'none'; handle(call: MethodCall): MethodAnswer };

export function ok(fields: Record<string, unknown> = {}): MethodAnswer {
  return { ok: true, ...fields };
}

export function fail(error: string, extra: Record<string, unknown> = {}): MethodAnswer {
  return { ok: false, error, ...extra };
}

/** Slack's answer for a token without the scope a method needs. */
export function missingScope(team: Readonly<StandInTeam>, needed: string): MethodAnswer | undefined {
  if (team.scopes.includes(needed)) return undefined;
  return fail('missing_scope', { needed, provided: team.scopes.join(',') });
}

/** Form values arrive as strings; an absent or empty value counts as missing. */
export function stringArg(args: Record<string, unknown>, name: string): string | undefined {
  const value = args[name];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function booleanArg(args: Record<string, unknown>, name: string): boolean {
  const value = args[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Decoded JSON argument, or the error Slack gives when it does not parse. */
export function jsonArg(args: Record<string, unknown>, name: string): { value: unknown } | { malformed: true } {
  const value = args[name];
  return value instanceof MalformedJson ? { malformed: true } : { value };
}

export function blockErrors(problems: string[]): Record<string, unknown> {
  return { errors: problems, response_metadata: { messages: problems } };
}
