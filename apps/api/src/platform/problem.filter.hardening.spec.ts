import { ArgumentsHost, InternalServerErrorException, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProblemFilter } from './problem.filter';

/** What a client and the log get when something unexpected fails. */
describe(`${ProblemFilter.name} and unexpected errors`, () => {
  function newTestFilter(url: string) {
    const sent: { status?: number; headers: Record<string, string>; body?: unknown } = {
      headers: {},
    };
    const reply = {
      status(code: number) {
        sent.status = code;
        return reply;
      },
      header(name: string, value: string) {
        sent.headers[name] = value;
        return reply;
      },
      send(body: unknown) {
        sent.body = body;
        return reply;
      },
    };
    const host = {
      switchToHttp: () => ({
        getRequest: () => ({ method: 'POST', url }),
        getResponse: () => reply,
      }),
    } as unknown as ArgumentsHost;
    const logged: string[] = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      logged.push(String(message));
    });
    return { sut: new ProblemFilter(), host, sent, logged };
  }

  afterEach(() => jest.restoreAllMocks());

  const sqlError = new QueryFailedError(
    'SELECT "id", "password_hash" FROM "users" WHERE "email" = $1',
    ['ana@iurc.example'],
    Object.assign(new Error('relation "users" does not exist'), { code: '42P01' }),
  );

  it.each([
    ['a failed SQL query', sqlError],
    ['an Error with a stack', new Error('connect ECONNREFUSED 10.0.0.5:5432 (user entente)')],
    ['a 5xx HttpException', new InternalServerErrorException('pool exhausted: secret detail')],
    ['a thrown string', 'boom at /srv/app/dist/main.js:1:1'],
  ])('answers %s with a generic 500 problem and an error id', (_what, exception) => {
    const { sut, host, sent, logged } = newTestFilter('/api/v1/partnerships?x=1');
    sut.catch(exception, host);
    expect(sent.status).toBe(500);
    expect(sent.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const body = sent.body as Record<string, unknown>;
    expect(body).toEqual({
      type: 'https://entente.dev/problems/internal-error',
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred. Quote the errorId when reporting it.',
      instance: '/api/v1/partnerships?x=1',
      code: 'INTERNAL_ERROR',
      errorId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/SELECT|users|password|ECONNREFUSED|secret|\.js:\d|\bat /);
    // The log carries the same id with the cause, for the operator.
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain(`errorId=${String(body.errorId)}`);
  });

  it('logs the cause with the SQL error message, but not the approval-link token of the URL', () => {
    const { sut, host, logged } = newTestFilter('/a/eyJwIjoiYXBwcm92YWwifQ.c2lnbmF0dXJl');
    sut.catch(sqlError, host);
    expect(logged[0]).toContain('POST /a/[redacted]');
    expect(logged[0]).toContain('relation "users" does not exist');
    expect(logged[0]).not.toContain('eyJwIjoiYXBwcm92YWwifQ');
  });
});
