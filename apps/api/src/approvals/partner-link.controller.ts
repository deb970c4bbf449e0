import { applyDecorators, Body, Controller, Get, Headers, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode } from '@libs/domain';
import type { Language } from '@libs/domain';
import { readerLanguage } from '@libs/notifications';
import { Public } from '../auth/auth.decorators';
import type { LinkResolution } from './partner-links.service';
import { messagePageOf, sendPage, sendUnavailable } from './partner-page';
import type { PartnerPageWords } from './partner-page';

/** A posted partner-page form as the body parser hands it over; undefined without a body. */
export type PartnerForm = Record<string, unknown> | undefined;

/** A link that opened: its token, what it points at as recorded now, the language to answer in. */
export interface OpenLink<Target> {
  token: string;
  target: Target;
  language: Language;
}

/** A page to answer with, and its status. */
export type PageAnswer = readonly [status: number, html: string];

/** The pages a partner page answers its action's refusals with, by error code. */
export type RefusalPages = Partial<Record<ErrorCode, (err: DomainError) => PageAnswer>>;

/** A text field of `form`, cut to `max` characters; undefined when there is no such text. */
export function formText(form: PartnerForm, name: string, max?: number): string | undefined {
  const value = form?.[name];
  return typeof value === 'string' ? value.slice(0, max) : undefined;
}

/**
 * The controller of a partner page at `/<path>/:token`, over {@link PartnerLinkController}: public
 * (partner contacts have no account: the signed link is their credential), and left out of the
 * OpenAPI document (it answers HTML forms, not the JSON API).
 */
export function PartnerLinkPage(path: string): ClassDecorator {
  return applyDecorators(ApiExcludeController(), Public(), Controller(path));
}

/**
 * What the partner pages (`/a/`, `/t/`, `/e/` and `/k/:token`) have in common: `GET` opens the
 * link and shows the page, or why its contact cannot act on it now; `POST` opens it again and
 * hands the form to the page's action. A link that does not open (tampered, foreign, naming what
 * is gone: 400; expired: 410) is answered here, in the words of the page it was for. A subclass
 * keeps what is its own: how its link finds its target, its page, and its action.
 */
export abstract class PartnerLinkController<
  Target extends { contact: { language: string | null } },
  Words extends PartnerPageWords,
> {
  /** The page's words (its catalog's) in `language`. */
  protected abstract readonly words: (language: Language) => Words;

  /** Verifies `token` and finds what it points at; see PartnerLinksService.resolve. */
  protected abstract resolve(
    token: string,
    acceptLanguage: string | undefined,
  ): Promise<LinkResolution<Target>>;

  /** Why the contact cannot act on the link now, as a page; undefined when they can. */
  protected abstract refusal(target: Target, language: Language): string | undefined;

  /** The page with its form, which posts back to the link. */
  protected abstract page(link: OpenLink<Target>): string;

  /** Acts on the posted `form` and answers with a page. */
  protected abstract act(
    link: OpenLink<Target>,
    form: PartnerForm,
    reply: FastifyReply,
  ): Promise<void>;

  @Get(':token')
  async show(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const link = await this.open(token, acceptLanguage, reply);
    if (!link) return;
    sendPage(reply, 200, this.refusal(link.target, link.language) ?? this.page(link));
  }

  @Post(':token')
  async submit(
    @Param('token') token: string,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Body() form: PartnerForm,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const link = await this.open(token, acceptLanguage, reply);
    if (!link) return;
    await this.act(link, form, reply);
  }

  /** One message in the page's frame; `alert` for a refusal. */
  protected message(language: Language, text: string, tone: 'status' | 'alert' = 'status'): string {
    return messagePageOf(this.words)(language, text, tone);
  }

  /**
   * Answers an error of the page's action: with its page in `pages` when it has one; for a
   * workflow that did not finish in time, `202` "received" when it took the answer, else `503`
   * "unavailable" (an alert) with `Retry-After`. Anything else is thrown on, to the error filter.
   */
  protected sendFailure(
    reply: FastifyReply,
    language: Language,
    err: unknown,
    pages: RefusalPages,
  ): void {
    if (!(err instanceof DomainError)) throw err;
    if (err.code === ErrorCode.DEPENDENCY_UNAVAILABLE) {
      const w = this.words(language);
      return sendUnavailable(reply, err, (taken) =>
        taken
          ? this.message(language, w.received())
          : this.message(language, w.unavailable(), 'alert'),
      );
    }
    const page = pages[err.code];
    if (!page) throw err;
    sendPage(reply, ...page(err));
  }

  /** The link's target in the reader's language; for a link that does not open, answers it. */
  private async open(
    token: string,
    acceptLanguage: string | undefined,
    reply: FastifyReply,
  ): Promise<OpenLink<Target> | undefined> {
    const resolved = await this.resolve(token, acceptLanguage);
    if (!resolved.ok) {
      const { status, language } = resolved;
      const w = this.words(language);
      sendPage(
        reply,
        status,
        this.message(language, status === 410 ? w.expired() : w.invalid(), 'alert'),
      );
      return undefined;
    }
    return {
      token,
      target: resolved,
      language: readerLanguage(resolved.contact.language, acceptLanguage),
    };
  }
}
