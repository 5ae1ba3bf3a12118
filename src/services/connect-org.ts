import { scheduleOrgCheck } from '../alerts/check-times';
import type { BillingClient } from '../billing';
import { isViamBillingError, ViamBillingError } from '../billing/errors';
import type { ViamApiKey } from '../billing/model';
import { isUuid, validateApiKey, validateOrgId } from '../billing/validate';
import type { ConnectFormValues } from '../blocks/connect-modal';
import type { ConnectField } from '../blocks/ids';
import type { Logger } from '../logger';
import { isStoreError, type Store, type Workspace, type WorkspaceRef } from '../store';

/** Slack drops a view_submission answer after 3 s; the live check must leave room for the reply. */
export const CONNECT_CHECK_BUDGET_MS = 2_300;

export type ConnectOutcome =
  | { ok: true; workspace: Workspace; label: string; orgId: string; replaced: boolean }
  | { ok: false; problems: Partial<Record<ConnectField, string>> };

const LABEL = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,39}$/u;

/**
 * Checks a submitted connect form and, only when the key proves it can read the org's billing,
 * stores it and schedules the org's hourly checks. Nothing is written for any failure; every failure
 * is a sentence placed on the field the user must change.
 */
export async function connectOrg(
  input: { ref: WorkspaceRef; userId: string; form: ConnectFormValues },
  deps: { store: Store; billing: BillingClient; logger: Logger; now: () => Date },
): Promise<ConnectOutcome> {
  const { form } = input;
  const formatProblems = checkFormat(form);
  if (formatProblems) return { ok: false, problems: formatProblems };

  const key: ViamApiKey = { id: form.apiKeyId.trim(), key: form.apiKey.trim() };
  const orgId = form.orgId.trim().toLowerCase();
  const workspace = await deps.store.workspaces.get(input.ref);
  const label = form.label?.trim() || suggestLabel(workspace, orgId);

  const checked = await checkWithinBudget(deps.billing, key, orgId);
  if (checked) {
    deps.logger.info({ orgId, kind: checked.kind }, 'connect: Viam refused the key');
    return { ok: false, problems: problemsFor(checked) };
  }

  try {
    const replaced = workspace.orgs.some((org) => org.label.toLowerCase() === label.toLowerCase());
    const saved = await deps.store.workspaces.connectOrg(input.ref, {
      label,
      orgId,
      apiKey: key,
      connectedBy: input.userId,
    });
    await scheduleOrgCheck(deps.store, input.ref, orgId, deps.now());
    return { ok: true, workspace: saved, label, orgId, replaced };
  } catch (error) {
    if (isStoreError(error) && error.kind === 'invalid') return { ok: false, problems: { label: error.message } };
    throw error;
  }
}

function checkFormat(form: ConnectFormValues): Partial<Record<ConnectField, string>> | undefined {
  const problems: Partial<Record<ConnectField, string>> = {};
  const attempt = (field: ConnectField, check: () => unknown) => {
    try {
      check();
    } catch (error) {
      if (!isViamBillingError(error)) throw error;
      problems[field] = error.message;
    }
  };
  attempt('orgId', () => validateOrgId(form.orgId.trim()));
  if (!isUuid(form.apiKeyId.trim())) {
    problems.apiKeyId = 'The API key ID must be a UUID, as Viam shows it next to the key.';
  } else {
    attempt('apiKey', () => validateApiKey({ id: form.apiKeyId.trim(), key: form.apiKey.trim() }));
  }
  const label = form.label?.trim();
  if (label && !LABEL.test(label)) {
    problems.label =
      'Use up to 40 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.';
  }
  return Object.keys(problems).length > 0 ? problems : undefined;
}

/** Undefined when the key can read the org's billing; the refusal otherwise. */
async function checkWithinBudget(
  billing: BillingClient,
  key: ViamApiKey,
  orgId: string,
): Promise<ViamBillingError | undefined> {
  let timer: NodeJS.Timeout | undefined;
  // The Authenticate inside may outlast the budget; its token is then cached, so a resubmit is quick.
  const slow = new Promise<ViamBillingError>((resolve) => {
    timer = setTimeout(() => resolve(new ViamBillingError('deadline_exceeded')), CONNECT_CHECK_BUDGET_MS);
  });
  const check = billing.checkAccess(key, orgId, { budgetMs: CONNECT_CHECK_BUDGET_MS }).then(
    () => undefined,
    (error: unknown) => (isViamBillingError(error) ? error : new ViamBillingError('internal')),
  );
  try {
    return await Promise.race([check, slow]);
  } finally {
    clearTimeout(timer);
  }
}

function problemsFor(error: ViamBillingError): Partial<Record<ConnectField, string>> {
  switch (error.kind) {
    case 'unauthenticated':
      return { apiKey: 'Viam did not accept this API key ID and key. Check both, or create a new key.' };
    case 'permission_denied':
      return {
        orgId:
          'This key cannot read billing for this organization. Use an organization-owner key made for this org: `viam organizations api-key create --org-id <org-id>`.',
      };
    case 'invalid_argument':
      return { orgId: error.message };
    case 'unavailable':
    case 'deadline_exceeded':
      return {
        apiKey: 'Viam could not be reached just now, so the key was not checked or saved. Submit again in a minute.',
      };
    default:
      return { apiKey: 'Viam could not check this key right now, so nothing was saved. Submit again in a minute.' };
  }
}

/** `default` for the first org, then a short form of the org ID that stays unique. */
function suggestLabel(workspace: Workspace, orgId: string): string {
  const existing = workspace.orgs.find((org) => org.orgId === orgId);
  if (existing) return existing.label;
  if (workspace.orgs.length === 0) return 'default';
  return `org-${orgId.slice(0, 8)}`;
}
