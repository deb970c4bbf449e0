import { PATH_METADATA } from '@nestjs/common/constants';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode } from '@libs/domain';
import type { Language } from '@libs/domain';
import { MESSAGES } from '@libs/notifications';
import { PUBLIC_ROUTE } from '../auth/auth.decorators';
import {
  formText,
  OpenLink,
  PartnerForm,
  PartnerLinkController,
  PartnerLinkPage,
} from './partner-link.controller';
import type { LinkResolution } from './partner-links.service';
import { TaskPageWords, taskWords } from './task-page';

interface Target {
  contact: { language: string | null };
  closed: boolean;
}

/** A partner page over the task page's words: its page names the link, its action fails with `failure`. */
@PartnerLinkPage('x')
class SampleLinkController extends PartnerLinkController<Target, TaskPageWords> {
  protected readonly words = taskWords;
  readonly acted: { link: OpenLink<Target>; form: PartnerForm }[] = [];
  failure: unknown;

  constructor(private readonly resolution: LinkResolution<Target>) {
    super();
  }

  protected resolve(): Promise<LinkResolution<Target>> {
    return Promise.resolve(this.resolution);
  }

  protected refusal(target: Target, language: Language): string | undefined {
    return target.closed ? this.message(language, 'closed') : undefined;
  }

  protected page({ token, language }: OpenLink<Target>): string {
    return `the page of ${token} in ${language}`;
  }

  protected async act(link: OpenLink<Target>, form: PartnerForm, reply: FastifyReply) {
    this.acted.push({ link, form });
    if (this.failure === undefined) return;
    this.sendFailure(reply, link.language, this.failure, {
      [ErrorCode.TASK_ALREADY_DONE]: (err) => [409, `refused: ${err.message}`],
    });
  }
}

/** A reply that keeps what was sent. */
function newReply() {
  const sent = { status: 0, headers: {} as Record<string, string>, body: '' };
  const reply = {
    status(status: number) {
      sent.status = status;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: string) {
      sent.body = body;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, sent };
}

const opened = (language: string | null, closed = false): LinkResolution<Target> => ({
  ok: true,
  contact: { language },
  closed,
});

describe(PartnerLinkController.name, () => {
  it('shows the page in the contact’s recorded language, else the browser’s, never cached or framed', async () => {
    const { reply, sent } = newReply();
    await new SampleLinkController(opened('zh')).show('tok', 'es', reply);
    expect(sent).toEqual({
      status: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
      },
      body: 'the page of tok in zh',
    });
    const browser = newReply();
    await new SampleLinkController(opened(null)).show('tok', 'es-ES,es;q=0.9', browser.reply);
    expect(browser.sent.body).toBe('the page of tok in es');
  });

  it('shows why the contact cannot act instead of the page, as a 200', async () => {
    const { reply, sent } = newReply();
    await new SampleLinkController(opened('en', true)).show('tok', undefined, reply);
    expect(sent.status).toBe(200);
    expect(sent.body).toContain('<title>Your task · Entente</title>');
    expect(sent.body).toContain('<p class="notice" role="status">closed</p>');
  });

  it.each([
    [400, 'invalid'],
    [410, 'expired'],
  ] as const)(
    'answers a link refused with %i by the page’s own %s alert, in the refusal’s language',
    async (status, word) => {
      for (const verb of ['show', 'submit'] as const) {
        const sut = new SampleLinkController({ ok: false, status, language: 'es' });
        const { reply, sent } = newReply();
        if (verb === 'show') await sut.show('tok', 'en', reply);
        else await sut.submit('tok', 'en', { action: 'done' }, reply);
        expect(sent.status).toBe(status);
        expect(sent.headers['cache-control']).toBe('no-store');
        expect(sent.body).toContain('<html lang="es">');
        expect(sent.body).toContain(
          `<p class="alert" role="alert">${MESSAGES.es.taskPage[word]()}</p>`,
        );
        expect(sut.acted).toEqual([]);
      }
    },
  );

  it('hands a posted form to the action with the link’s token, target and language', async () => {
    const sut = new SampleLinkController(opened('zh', true));
    await sut.submit('tok', 'es', { action: 'done' }, newReply().reply);
    expect(sut.acted).toEqual([
      {
        link: {
          token: 'tok',
          target: { ok: true, contact: { language: 'zh' }, closed: true },
          language: 'zh',
        },
        form: { action: 'done' },
      },
    ]);
  });

  describe('an error of the action', () => {
    async function failWith(failure: unknown) {
      const sut = new SampleLinkController(opened('es'));
      sut.failure = failure;
      const { reply, sent } = newReply();
      await sut.submit('tok', undefined, {}, reply);
      return sent;
    }

    it('is answered by the page’s own page for its code', async () => {
      const sent = await failWith(new DomainError(ErrorCode.TASK_ALREADY_DONE, 'done before'));
      expect(sent.status).toBe(409);
      expect(sent.body).toBe('refused: done before');
    });

    it('is 202 "received" when the workflow took the answer but did not finish in time', async () => {
      const sent = await failWith(
        new DomainError(ErrorCode.DEPENDENCY_UNAVAILABLE, 'slow', { cause: 'accepted' }),
      );
      expect(sent.status).toBe(202);
      expect(sent.headers['retry-after']).toBeUndefined();
      expect(sent.body).toContain(
        `<p class="notice" role="status">${MESSAGES.es.taskPage.received()}</p>`,
      );
    });

    it('is 503 "unavailable" with Retry-After when the workflow did not take it', async () => {
      const sent = await failWith(
        new DomainError(ErrorCode.DEPENDENCY_UNAVAILABLE, 'down', { retryAfterSeconds: 30 }),
      );
      expect(sent.status).toBe(503);
      expect(sent.headers['retry-after']).toBe('30');
      expect(sent.body).toContain(
        `<p class="alert" role="alert">${MESSAGES.es.taskPage.unavailable()}</p>`,
      );
    });

    it('is thrown on, to the error filter, when the page has no page for it', async () => {
      const other = new DomainError(ErrorCode.TASK_NOT_FOUND, 'gone');
      await expect(failWith(other)).rejects.toBe(other);
      const unexpected = new Error('boom');
      await expect(failWith(unexpected)).rejects.toBe(unexpected);
    });
  });
});

/** @nestjs/swagger's key of ApiExcludeController (its constants are not exported). */
const API_EXCLUDE_CONTROLLER = 'swagger/apiExcludeController';

describe(PartnerLinkPage.name, () => {
  it('serves the page at its path, to anyone, and keeps it out of the OpenAPI document', () => {
    expect(Reflect.getMetadata(PATH_METADATA, SampleLinkController)).toBe('x');
    expect(Reflect.getMetadata(PUBLIC_ROUTE, SampleLinkController)).toBe(true);
    expect(Reflect.getMetadata(API_EXCLUDE_CONTROLLER, SampleLinkController)).toEqual([true]);
  });
});

describe(formText.name, () => {
  it('is a text field of the form, cut to its length; undefined when there is no such text', () => {
    expect(formText({ comment: 'a long comment' }, 'comment', 6)).toBe('a long');
    expect(formText({ comment: 'short' }, 'comment', 6)).toBe('short');
    expect(formText({ comment: 'any length' }, 'comment')).toBe('any length');
    expect(formText({ comment: '' }, 'comment', 6)).toBe('');
    expect(formText({ comment: ['a', 'b'] }, 'comment')).toBeUndefined();
    expect(formText({}, 'comment')).toBeUndefined();
    expect(formText(undefined, 'comment')).toBeUndefined();
  });
});
