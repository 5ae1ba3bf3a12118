import { scaleBackends } from '../../../../bench/lib/scale/backends';

describe('scaleBackends', () => {
  const env = { REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: 'postgres://127.0.0.1/test' };

  it('offers SQLite always, and Redis and PostgreSQL when their URLs are set', () => {
    expect(scaleBackends({}, '/tmp/run').map((target) => target.kind)).toEqual(['sqlite']);
    expect(scaleBackends(env, '/tmp/run').map((target) => target.kind)).toEqual(['sqlite', 'redis', 'postgres']);
  });

  it('keeps to the chosen stores, in the usual order', () => {
    expect(scaleBackends(env, '/tmp/run', ['postgres', 'sqlite']).map((target) => target.kind)).toEqual([
      'sqlite',
      'postgres',
    ]);
  });

  it('names the setting a chosen store lacks', () => {
    expect(() => scaleBackends({}, '/tmp/run', ['postgres'])).toThrow(
      '--stores names postgres: set DATABASE_URL to run on it',
    );
  });
});
