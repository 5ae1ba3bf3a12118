import { renderOrgs } from '../../src/blocks/orgs';
import { LONG_NASTY, orgs } from './fixtures';
import { blocksOfType, blockText, expectValid } from './helpers';

describe('renderOrgs', () => {
  it('lists each org with its ID, masked key ID, default mark and who connected it', () => {
    const message = renderOrgs(orgs, { timeZone: 'America/New_York' });
    expectValid(message);
    expect(message).toMatchSnapshot();
    const sections = blocksOfType(message, 'section').map((block) => (block.text as { text: string }).text);
    expect(sections).toEqual([
      '*acme* · default\nOrg ID `a1b2c3d4-e5f6-7890-abcd-ef1234567890` · Key ID `…1a2b`\nConnected by <@U012ABCDEF> on Nov 2, 2026',
      '*acme-labs*\nOrg ID `b2c3d4e5-f6a7-8901-bcde-f12345678901` · Key ID `…c3d4`',
    ]);
    expect(message.text).toBe('2 Viam orgs are connected: acme (default), acme-labs.');
  });

  it('never shows more than the last four characters of a key ID', () => {
    const serialized = JSON.stringify(renderOrgs(orgs, { timeZone: 'UTC' }));
    for (const org of orgs) {
      expect(serialized).not.toContain(org.apiKeyId);
      expect(serialized).not.toContain(org.apiKeyId.slice(-5));
      expect(serialized).toContain(`…${org.apiKeyId.slice(-4)}`);
    }
  });

  it('leaves out a connector that is not a Slack user ID', () => {
    const [first] = orgs;
    if (!first) throw new Error('fixture missing');
    const message = renderOrgs([{ ...first, connectedBy: '<!channel>' }], { timeZone: 'UTC' });
    expectValid(message);
    expect(blockText(message)).toContain('Connected on Nov 2, 2026');
    expect(blockText(message)).not.toContain('channel');
  });

  it('explains how to connect when nothing is connected', () => {
    const message = renderOrgs([], { timeZone: 'UTC' });
    expectValid(message);
    expect(message.text).toBe('No Viam org is connected yet. An org owner can run `/viam-usage connect`.');
  });

  it('cuts a long list within 50 blocks and escapes hostile labels', () => {
    const many = Array.from({ length: 120 }, (_, index) => ({
      label: `${LONG_NASTY} ${index}`,
      orgId: `org-${index}`,
      apiKeyId: `key-${index}-abcdef`,
      isDefault: index === 0,
    }));
    const message = renderOrgs(many, { timeZone: 'UTC' });
    expectValid(message);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const shown = blockText(message).match(/Org ID/g)?.length ?? 0;
    expect(blockText(message)).toContain(`…and ${120 - shown} more orgs.`);
    expect(blockText(message)).toContain('*&lt;Acme &amp; Sons&gt;');
  });
});
