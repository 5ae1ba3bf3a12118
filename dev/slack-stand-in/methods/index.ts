import { appMethods } from './apps';
import { authMethods } from './auth';
import { chatMethods } from './chat';
import type { MethodSpec } from './context';
import { conversationMethods } from './conversations';
import { fileMethods } from './files';
import { oauthMethods } from './oauth';
import { userMethods } from './users';
import { viewMethods } from './views';

/** Every Web API method the stand-in answers; anything else is `unknown_method`. */
export const METHODS: Readonly<Record<string, MethodSpec>> = {
  ...authMethods,
  ...chatMethods,
  ...userMethods,
  ...conversationMethods,
  ...viewMethods,
  ...fileMethods,
  ...appMethods,
  ...oauthMethods,
};
