/**
 * A local stand-in for Slack: the Web API (point Bolt's `clientOptions.slackApiUrl` at `standIn.url`), file uploads,
 * response_url, trigger ids, OAuth codes and the Socket Mode edge; plus senders of correctly signed requests.
 */
export { type Clock, ManualClock, systemClock } from './clock';
export { ANY_METHOD, type HeldCall, type HeldRequest } from './faults';
export type { UploadedFile } from './file-store';
export type { StandInEphemeral, StandInMessage } from './message-store';
export type { PendingInstall } from './methods/oauth';
export * from './payloads';
export * from './requests';
export { RESPONSE_URL_LIFETIME_MS, RESPONSE_URL_MAX_USES, type RecordedResponse, responseUrlId } from './response-urls';
export { DEFAULT_APP, MANIFEST_BOT_SCOPES, SEED, type StandInAppConfig } from './seed';
export {
  RESPONSE_URL_METHOD,
  type RecordedCall,
  SlackStandIn,
  type SlackStandInOptions,
  startSlackStandIn,
  UPLOAD_METHOD,
} from './server';
export { type EnvelopeInput, type EnvelopeType, type SocketModeAck, SocketModeStandIn } from './socket-mode';
export { ROTATING_TOKEN_LIFETIME_SECONDS, type RotatingGrant } from './token-rotation';
export { TRIGGER_LIFETIME_MS } from './triggers';
export type { StandInView } from './view-store';
export type {
  NewChannel,
  NewTeam,
  NewUser,
  RevocationReason,
  StandInChannel,
  StandInTeam,
  StandInUser,
  TokenState,
  Workspaces,
} from './workspace';
