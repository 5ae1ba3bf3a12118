import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { BOT_SCOPES } from '../../src/slack/scopes';

describe('BOT_SCOPES', () => {
  it('are exactly the bot scopes of manifest.yml, in its order', () => {
    const manifest = parse(readFileSync(path.join(__dirname, '..', '..', 'manifest.yml'), 'utf8')) as {
      oauth_config: { scopes: { bot: string[] } };
    };
    expect([...BOT_SCOPES]).toEqual(manifest.oauth_config.scopes.bot);
  });
});
