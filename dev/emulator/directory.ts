import { createHash, timingSafeEqual } from 'node:crypto';
import type { EmulatorFixture, FixtureOrg } from './fixture';

/** Demo credentials of one org: its first API key. */
export interface DemoCredentials {
  orgId: string;
  name: string;
  apiKeyId: string;
  apiKey: string;
}

/** Lookup of the fixture's orgs and API keys. */
export class OrgDirectory {
  private readonly orgs = new Map<string, FixtureOrg>();
  private readonly keys = new Map<string, { digest: Buffer; orgId: string }>();

  constructor(fixture: EmulatorFixture) {
    for (const org of fixture.orgs) {
      this.orgs.set(org.orgId, org);
      for (const key of org.apiKeys) this.keys.set(key.id, { digest: digest(key.key), orgId: org.orgId });
    }
    this.demo = fixture.orgs.flatMap((org) => {
      const [key] = org.apiKeys;
      return key ? [{ orgId: org.orgId, name: org.name, apiKeyId: key.id, apiKey: key.key }] : [];
    });
  }

  readonly demo: ReadonlyArray<DemoCredentials>;

  org(orgId: string): FixtureOrg | undefined {
    return this.orgs.get(orgId);
  }

  /** The org a key belongs to, when the id exists and the secret matches. */
  orgForKey(apiKeyId: string, secret: string): string | undefined {
    const key = this.keys.get(apiKeyId);
    // Comparing digests keeps the comparison constant-time whatever the secret's length.
    if (!key || !timingSafeEqual(key.digest, digest(secret))) return undefined;
    return key.orgId;
  }

  orgOfKeyId(apiKeyId: string): string | undefined {
    return this.keys.get(apiKeyId)?.orgId;
  }
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
