import { Controller, Get, Query } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { lastValueFrom, of } from 'rxjs';
import { DomainError, ErrorCode } from '@libs/domain';
import { IsString } from 'class-validator';
import { createValidationPipe, nulCharacterField, UndeclaredQueryInterceptor } from './validation';

class SomeQuery {
  page?: number;
}

@Controller('api/v1/things')
class ThingsController {
  @Get()
  list(@Query() query: SomeQuery): SomeQuery {
    return query;
  }

  @Get(':id')
  one(): string {
    return 'one';
  }

  @Get(':id/stream')
  stream(@Query('after') after?: string): string {
    return after ?? '';
  }
}

describe(UndeclaredQueryInterceptor.name, () => {
  const sut = new UndeclaredQueryInterceptor();

  // async: the interceptor throws before the handler runs, which becomes a rejection here.
  async function call(
    handler: keyof ThingsController,
    url: string,
    query: Record<string, string>,
  ): Promise<unknown> {
    const context = new ExecutionContextHost(
      [{ url, query }, {}],
      ThingsController,
      ThingsController.prototype[handler],
    );
    context.setType('http');
    return lastValueFrom(sut.intercept(context, { handle: () => of('handled') }));
  }

  it('refuses any query parameter on a route that declares none', async () => {
    await expect(call('one', '/api/v1/things/1?x=1', { x: '1' })).rejects.toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
      details: { errors: [{ field: 'x', messages: ['x is not an accepted field'] }] },
    });
    await expect(call('one', '/api/v1/things/1', {})).resolves.toBe('handled');
  });

  it('accepts the named query parameters a route declares, and only those', async () => {
    await expect(call('stream', '/api/v1/things/1/stream?after=3', { after: '3' })).resolves.toBe(
      'handled',
    );
    const refused = call('stream', '/api/v1/things/1/stream?after=3&x=1', { after: '3', x: '1' });
    await expect(refused).rejects.toBeInstanceOf(DomainError);
  });

  it('leaves a whole-query DTO to the validation pipe', async () => {
    await expect(call('list', '/api/v1/things?anything=1', { anything: '1' })).resolves.toBe(
      'handled',
    );
  });

  it('leaves routes outside /api/ alone (links in e-mails get utm_* parameters)', async () => {
    await expect(call('one', '/a/token?utm_source=mail', { utm_source: 'mail' })).resolves.toBe(
      'handled',
    );
  });
});

class NamedBody {
  @IsString()
  name!: string;
}

describe('NUL characters', () => {
  it.each([
    ['a plain string', 'a\u0000b', ''],
    ['a nested field', { a: { b: 'x\u0000' } }, 'a.b'],
    ['an array item', { list: ['fine', 'no\u0000'] }, 'list[1]'],
  ])('finds the field of %s', (_what, value, field) => {
    expect(nulCharacterField(value)).toBe(field);
  });

  it('finds none in strings without one, numbers and null', () => {
    expect(nulCharacterField({ a: 'fine', b: 1, c: null, d: ['ok'] })).toBeUndefined();
  });

  it('refuses a body holding one with VALIDATION_FAILED naming the field, and passes others on', async () => {
    const pipe = createValidationPipe();
    const metadata = { type: 'body' as const, metatype: NamedBody, data: undefined };
    const refused = await pipe.transform({ name: 'x\u0000y' }, metadata).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe(ErrorCode.VALIDATION_FAILED);
    expect((refused as DomainError).details.errors).toEqual([
      { field: 'name', messages: ['name must not contain a NUL character'] },
    ]);
    await expect(pipe.transform({ name: 'fine' }, metadata)).resolves.toEqual({ name: 'fine' });
  });
});
