/**
 * The Home tab's access form: who may see billing besides workspace admins and whoever connected an
 * org, as one list of people. Saving makes the list what the form says.
 */
import { context, section } from './build';
import { inputBlock, plainText, readUsers, type SubmittedValues } from './home-form';
import { ACCESS_FORM, VIEW_HOME_ACCESS } from './ids';
import { SLACK_LIMITS } from './limits';
import { userMention } from './mentions';
import type { ModalView } from './message';

export interface AccessModalOptions {
  /** Granted viewers, prefilled. */
  viewers: readonly string[];
  /** Whoever connected an org: they always have access, so they are named rather than listed. */
  connectors: readonly string[];
}

/** People named in the note about connectors; more would crowd the form. */
const MAX_CONNECTORS_NAMED = 5;

export function accessModal(options: AccessModalOptions): ModalView {
  const connectors = [...new Set(options.connectors)].flatMap((id) => userMention(id) ?? []);
  const named = connectors.slice(0, MAX_CONNECTORS_NAMED).join(', ');
  const more = connectors.length > MAX_CONNECTORS_NAMED ? ` and ${connectors.length - MAX_CONNECTORS_NAMED} more` : '';
  const always =
    connectors.length > 0 ? `Workspace admins and ${named}${more} (who connected an org)` : 'Workspace admins';
  return {
    type: 'modal',
    callback_id: VIEW_HOME_ACCESS,
    title: plainText('Who can see billing', SLACK_LIMITS.modalTitle),
    submit: plainText('Save', SLACK_LIMITS.modalButton),
    close: plainText('Cancel', SLACK_LIMITS.modalButton),
    blocks: [
      section(`${always} always see Viam billing. Everyone picked here may see it too.`),
      inputBlock({
        input: ACCESS_FORM.viewers,
        label: 'Also visible to',
        element: {
          type: 'multi_users_select',
          placeholder: plainText('Pick people'),
          initial_users: options.viewers.filter((id) => userMention(id) !== undefined),
        },
        optional: true,
      }),
      context('Removing someone here takes their access away when you save.'),
    ],
  };
}

export function readAccessForm(values: SubmittedValues): { viewerIds: string[] } {
  return { viewerIds: [...new Set(readUsers(values, ACCESS_FORM.viewers))] };
}
