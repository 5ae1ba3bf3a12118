import { canManage, canView } from '../../src/services/access';
import type { Workspace } from '../../src/store';

function workspace(connectors: string[], viewers: string[] = []): Workspace {
  return {
    ref: { teamId: 'T0ACME' },
    orgs: connectors.map((connectedBy, index) => ({
      label: `org${index}`,
      orgId: `00000000-0000-4000-8000-00000000000${index}`,
      apiKeyId: `10000000-0000-4000-8000-00000000000${index}`,
      connectedBy,
      connectedAt: '2026-11-01T00:00:00.000Z',
    })),
    viewers,
    preferences: { currency: 'USD' },
    updatedAt: '2026-11-01T00:00:00.000Z',
  };
}

describe('canView', () => {
  it('lets admins, connectors and granted viewers see billing', () => {
    const ws = workspace(['U0CONNECT'], ['U0VIEWER']);
    expect(canView(ws, 'U0ADMIN', true)).toEqual({ allowed: true });
    expect(canView(ws, 'U0CONNECT', false)).toEqual({ allowed: true });
    expect(canView(ws, 'U0VIEWER', false)).toEqual({ allowed: true });
  });

  it('refuses anyone else and names each connector once', () => {
    const ws = workspace(['U0ONE', 'U0TWO', 'U0ONE'], ['U0VIEWER']);
    expect(canView(ws, 'U0STRANGER', false)).toEqual({ allowed: false, askUserIds: ['U0ONE', 'U0TWO'] });
  });
});

describe('canManage', () => {
  it('lets admins and connectors manage, but not viewers', () => {
    const ws = workspace(['U0CONNECT'], ['U0VIEWER']);
    expect(canManage(ws, 'U0ADMIN', true)).toEqual({ allowed: true });
    expect(canManage(ws, 'U0CONNECT', false)).toEqual({ allowed: true });
    expect(canManage(ws, 'U0VIEWER', false)).toEqual({ allowed: false, askUserIds: ['U0CONNECT'] });
  });

  it('with nothing connected only admins may manage, and there is nobody in particular to ask', () => {
    const ws = workspace([]);
    expect(canManage(ws, 'U0ADMIN', true)).toEqual({ allowed: true });
    expect(canManage(ws, 'U0MEMBER', false)).toEqual({ allowed: false, askUserIds: [] });
  });
});
