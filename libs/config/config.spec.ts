import { ConfigError, loadConfig } from './config';

const valid = { DATABASE_URL: 'postgres://u:p@localhost:5432/entente' };

describe(loadConfig.name, () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadConfig(valid);
    expect(config.API_PORT).toBe(3000);
    expect(config.TEMPORAL_ADDRESS).toBe('localhost:7233');
    expect(config.TEMPORAL_NAMESPACE).toBe('default');
    expect(config.DATABASE_MIGRATE_ON_START).toBe(true);
  });

  it('names a missing variable', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL is required/);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({
        ...valid,
        API_PORT: 'eighty',
        TEMPORAL_ADDRESS: 'no-port',
        TEMPORAL_TLS: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^API_PORT /m);
    expect(problems).toMatch(/^TEMPORAL_ADDRESS must be host:port/m);
    expect(problems).toMatch(/^TEMPORAL_TLS /m);
  });

  it('refuses a database URL that is not PostgreSQL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL must be a postgres/,
    );
  });

  it('requires a TLS certificate and key together', () => {
    expect(() => loadConfig({ ...valid, TEMPORAL_TLS_CERT_PATH: '/c.pem' })).toThrow(
      /TEMPORAL_TLS_KEY_PATH/,
    );
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ ...valid, API_PORT: '' }).API_PORT).toBe(3000);
  });
});
