import path from 'node:path';
import { parseStoreUrl } from '../../src/store/store-url';

describe('parseStoreUrl', () => {
  it('defaults to an SQLite file in the data folder', () => {
    expect(parseStoreUrl(undefined)).toEqual({
      kind: 'sqlite',
      file: path.join('data', 'store.sqlite'),
      isDefault: true,
    });
    expect(parseStoreUrl('  ', '/var/lib/app')).toEqual({
      kind: 'sqlite',
      file: '/var/lib/app/store.sqlite',
      isDefault: true,
    });
  });

  it('accepts sqlite, redis and postgres URLs', () => {
    expect(parseStoreUrl('sqlite:///srv/store.sqlite')).toEqual({
      kind: 'sqlite',
      file: '/srv/store.sqlite',
      isDefault: false,
    });
    expect(parseStoreUrl('sqlite://relative/store.sqlite')).toMatchObject({ file: 'relative/store.sqlite' });
    expect(parseStoreUrl('redis://cache:6379')).toEqual({ kind: 'redis', url: 'redis://cache:6379' });
    expect(parseStoreUrl('rediss://:pw@cache:6380/2')).toMatchObject({ kind: 'redis' });
    expect(parseStoreUrl('postgres://app@db:5432/billing')).toMatchObject({ kind: 'postgres' });
    expect(parseStoreUrl('postgresql://app@db/billing')).toMatchObject({ kind: 'postgres' });
  });

  it.each(['mysql://user:hunter2pw@db/app', 'just-a-path.sqlite', 'sqlite://', 'redis://user:hunter2pw@[bad'])(
    'names STORE_URL and the accepted forms for %s, without echoing it',
    (url) => {
      let message = '';
      try {
        parseStoreUrl(url);
      } catch (error) {
        expect(error).toMatchObject({ name: 'StoreError', kind: 'invalid' });
        message = (error as Error).message;
      }
      expect(message).toContain('STORE_URL');
      expect(message).toContain('postgres://');
      expect(message).not.toContain('hunter2pw');
    },
  );
});
