import { useMemo, useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call, type components } from '../api/client';
import { useRefresh } from '../api/use-refresh';
import { ProblemError } from '../auth/session';
import { ProblemAlert } from '../components/problem';
import { formatDateTime } from '../format';
import { adminPage, AdminPageFrame, useAdminList } from '../forms/admin';
import {
  FieldGroup,
  FormCheckProvider,
  FormSummary,
  Options,
  TextField,
  toggled,
  useFormCheck,
} from '../forms/field';
import { SubmitRow } from '../forms/form-footer';
import { PagedList, PagedTable, ReloadButton } from '../forms/paged-list';
import { addProblem, textProblem, urlProblem, type Problems } from '../forms/validation';
import { idempotencyKey } from '../partnership/use-partnership';
import { ConfirmDialog, Dialog } from '../partnership/dialog';
import { TIMELINE_EVENT_TYPES } from '../../../libs/domain/timeline';

type Webhook = components['schemas']['WebhookView'];
type Delivery = components['schemas']['DeliveryView'];
type DeliveryStatus = Delivery['status'];
type EventChoice = components['schemas']['CreateWebhookDto']['eventTypes'][number];
type EventType = Exclude<EventChoice, '*'>;

/**
 * Every event type a webhook can subscribe to, in the timeline's order: the domain's list less
 * `notification.failed` (what a failed delivery itself records), as libs/webhooks has it.
 */
const EVENT_TYPES = TIMELINE_EVENT_TYPES.filter(
  (type): type is EventType => type !== 'notification.failed',
);

const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'delivered', 'failed', 'skipped'];
const PAGE_SIZE = 20;
const DELIVERY_PAGE_SIZE = 20;

/** i18n key of an event type: `stage.sent_back` → `webhooks.eventTypes.stage_sent_back`. */
function eventKey(type: string): string {
  return `webhooks.eventTypes.${type.replace(/\./g, '_')}`;
}

/** A signing secret: 32 random bytes, base64url, with a prefix that says what it is. */
function generateSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const base64 = btoa(String.fromCharCode(...bytes));
  return `whsec_${base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

function Webhooks() {
  const { t } = useTranslation();
  const { query: webhooks, setPage } = useAdminList(['webhooks', 'page'], (page) =>
    call(() => api.GET('/api/v1/webhooks', { params: { query: { page, pageSize: PAGE_SIZE } } })),
  );
  return (
    <AdminPageFrame id="webhooks" title={t('webhooks.title')} error={webhooks.error}>
      <p className="muted">{t('webhooks.intro')}</p>
      <CreateWebhookForm />
      <section className="panel" aria-labelledby="webhooks-list-title">
        <h2 id="webhooks-list-title">{t('webhooks.list')}</h2>
        <PagedList
          query={webhooks}
          empty={t('webhooks.empty')}
          pagerLabel={t('webhooks.pages')}
          onPage={setPage}
        >
          {(items) => (
            <ul className="webhook-list">
              {items.map((w) => (
                <WebhookItem key={w.id} webhook={w} />
              ))}
            </ul>
          )}
        </PagedList>
      </section>
    </AdminPageFrame>
  );
}

/** Webhooks: receivers of the timeline's events, with their delivery log. */
export default adminPage('webhooks.title', Webhooks);

interface WebhookDraft {
  url: string;
  description: string;
  all: boolean;
  eventTypes: EventType[];
}

function webhookProblems(d: WebhookDraft): Problems {
  const out: Problems = {};
  addProblem(out, 'url', urlProblem(d.url));
  addProblem(out, 'description', textProblem(d.description, { max: 500, required: false }));
  if (!d.all && d.eventTypes.length === 0) {
    addProblem(out, 'eventTypes', { key: 'validation.atLeastOneEvent' });
  }
  return out;
}

function eventTypesOf(d: WebhookDraft): EventChoice[] {
  return d.all ? ['*'] : EVENT_TYPES.filter((e) => d.eventTypes.includes(e));
}

function CreateWebhookForm() {
  const { t } = useTranslation();
  const refresh = useRefresh(['webhooks']);
  const empty = (): WebhookDraft => ({ url: '', description: '', all: true, eventTypes: [] });
  const [draft, setDraft] = useState<WebhookDraft>(empty);
  // One key and one secret per form: a retried send is the same request, creating one webhook.
  const [attempt, setAttempt] = useState(() => ({
    key: idempotencyKey(),
    secret: generateSecret(),
  }));
  const [created, setCreated] = useState<{ url: string; secret: string }>();
  const problems = useMemo(() => webhookProblems(draft), [draft]);
  const check = useFormCheck(draft, problems, { idPrefix: 'new-webhook' });
  const create = useMutation({
    mutationFn: () =>
      call(() =>
        api.POST('/api/v1/webhooks', {
          params: { header: { 'idempotency-key': attempt.key } },
          body: {
            url: draft.url.trim(),
            secret: attempt.secret,
            eventTypes: eventTypesOf(draft),
            ...(draft.description.trim() ? { description: draft.description.trim() } : {}),
          },
        }),
      ),
    onSuccess: (webhook) => {
      setCreated({ url: webhook.url, secret: attempt.secret });
      setDraft(empty());
      setAttempt({ key: idempotencyKey(), secret: generateSecret() });
      check.reset();
    },
    onError: (error) => {
      check.refused(error);
      if (error instanceof ProblemError && error.code === 'IDEMPOTENCY_KEY_REUSED') {
        setAttempt({ key: idempotencyKey(), secret: generateSecret() });
      }
    },
    onSettled: () => refresh(),
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (create.isPending || !check.attempt()) return;
    setCreated(undefined);
    create.mutate();
  };
  return (
    <section className="panel" aria-labelledby="new-webhook-title">
      <h2 id="new-webhook-title">{t('webhooks.create')}</h2>
      {created && <SecretOnce {...created} onDone={() => setCreated(undefined)} />}
      <FormCheckProvider value={check.context}>
        <form ref={check.formRef} onSubmit={submit} noValidate>
          <WebhookFields draft={draft} onChange={setDraft} />
          <p className="help">{t('webhooks.secretHelp')}</p>
          <FormSummary check={check} refusal={create.error} />
          <SubmitRow label={t('webhooks.create')} busy={create.isPending} />
        </form>
      </FormCheckProvider>
    </section>
  );
}

/** The signing secret, shown once after the webhook is made: the API keeps only its last 4. */
function SecretOnce({ url, secret, onDone }: { url: string; secret: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // No clipboard permission: the text is selected for a manual copy.
      ref.current?.select();
    }
  };
  return (
    <div role="alert" className="alert alert-ok secret-once">
      <p>{t('webhooks.createdFor', { url })}</p>
      <p>
        <strong>{t('webhooks.secret')}</strong>
      </p>
      <div className="password-row">
        <label className="visually-hidden" htmlFor="webhook-secret">
          {t('webhooks.secretLabel')}
        </label>
        <input
          ref={ref}
          id="webhook-secret"
          type="text"
          readOnly
          className="secret"
          value={secret}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button-secondary" onClick={() => void copy()}>
          {copied ? t('webhooks.copied') : t('webhooks.copy')}
        </button>
        <button type="button" className="button-primary" onClick={onDone}>
          {t('webhooks.secretSaved')}
        </button>
      </div>
    </div>
  );
}

/** URL, description and events: shared by the create and the edit form. */
function WebhookFields({
  draft,
  onChange,
}: {
  draft: WebhookDraft;
  onChange: (draft: WebhookDraft) => void;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<WebhookDraft>): void => onChange({ ...draft, ...patch });
  return (
    <>
      <TextField
        path="url"
        label={t('webhooks.url')}
        help={t('webhooks.urlHelp')}
        type="url"
        inputMode="url"
        maxLength={2048}
        value={draft.url}
        onChange={(url) => set({ url })}
      />
      <TextField
        path="description"
        label={t('webhooks.description')}
        optional
        maxLength={500}
        value={draft.description}
        onChange={(description) => set({ description })}
      />
      <FieldGroup path="eventTypes" legend={t('webhooks.events')} className="event-choice">
        {(control) => (
          <>
            <label className="radio">
              <input
                type="radio"
                name="event-scope"
                checked={draft.all}
                onChange={() => set({ all: true })}
              />
              {t('webhooks.allEventsHelp')}
            </label>
            <label className="radio">
              <input
                type="radio"
                name="event-scope"
                checked={!draft.all}
                onChange={() => set({ all: false })}
              />
              {t('webhooks.someEvents')}
            </label>
            {!draft.all && (
              <div className="event-types">
                {EVENT_TYPES.map((type) => (
                  <label key={type} className="checkbox">
                    <input
                      type="checkbox"
                      {...control}
                      checked={draft.eventTypes.includes(type)}
                      onChange={(e) =>
                        set({ eventTypes: toggled(draft.eventTypes, type, e.target.checked) })
                      }
                    />
                    <span>
                      {t(eventKey(type))} <code className="small">{type}</code>
                    </span>
                  </label>
                ))}
              </div>
            )}
          </>
        )}
      </FieldGroup>
    </>
  );
}

function WebhookItem({ webhook: w }: { webhook: Webhook }) {
  const { t, i18n } = useTranslation();
  const refresh = useRefresh(['webhooks']);
  const [dialog, setDialog] = useState<'edit' | 'delete' | undefined>();
  const [showLog, setShowLog] = useState(false);
  const buttons = useRef<HTMLDivElement>(null);
  const titleId = `webhook-${w.id}-url`;
  const setActive = useMutation({
    mutationFn: (active: boolean) =>
      call(() =>
        api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id: w.id } }, body: { active } }),
      ),
    onSettled: () => refresh(),
  });
  const remove = useMutation({
    mutationFn: () =>
      call(() => api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: w.id } } })),
    onSuccess: () => setDialog(undefined),
    onSettled: () => refresh(),
  });
  const closeDialog = (): void => {
    setDialog(undefined);
    buttons.current?.querySelector<HTMLElement>('button')?.focus();
  };
  const all = w.eventTypes.includes('*');
  return (
    <li className="card webhook">
      <div className="webhook-head">
        <h3 id={titleId} className="webhook-url">
          {w.url}
        </h3>
        <span className={`badge ${w.active ? 'badge-ok' : 'badge-paused'}`}>
          {w.active ? t('webhooks.active') : t('webhooks.inactive')}
        </span>
      </div>
      {w.description && <p>{w.description}</p>}
      <p className="small">
        <span className="muted">{t('webhooks.events')}: </span>
        {all
          ? t('webhooks.allEvents')
          : w.eventTypes.map((e) => t(eventKey(e), { defaultValue: e })).join(', ')}
      </p>
      <p className="small muted">
        {t('webhooks.secretHint', { hint: w.secretHint })} ·{' '}
        {w.partnershipIds === null
          ? t('webhooks.allPartnerships')
          : t('webhooks.somePartnerships', { count: w.partnershipIds.length })}{' '}
        · {t('webhooks.createdAt', { when: formatDateTime(w.createdAt, i18n.language) })}
      </p>
      <label className="checkbox">
        <input
          type="checkbox"
          // The choice shows at once; the list's next read confirms it (or undoes it on refusal).
          checked={setActive.isPending ? setActive.variables : w.active}
          disabled={setActive.isPending}
          aria-describedby={titleId}
          onChange={(e) => setActive.mutate(e.target.checked)}
        />
        {t('webhooks.activeHelp')}
      </label>
      <ProblemAlert error={setActive.error} />
      <div className="button-row" ref={buttons}>
        <button
          type="button"
          className="button-secondary"
          aria-expanded={showLog}
          aria-controls={`webhook-${w.id}-log`}
          aria-describedby={titleId}
          onClick={() => setShowLog((s) => !s)}
        >
          {showLog ? t('webhooks.hideDeliveries') : t('webhooks.deliveries')}
        </button>
        <button
          type="button"
          className="button-secondary"
          aria-describedby={titleId}
          onClick={() => setDialog('edit')}
        >
          {t('app.edit')}
        </button>
        <button
          type="button"
          className="button-danger"
          aria-describedby={titleId}
          onClick={() => {
            remove.reset();
            setDialog('delete');
          }}
        >
          {t('webhooks.delete')}
        </button>
      </div>
      <div id={`webhook-${w.id}-log`}>{showLog && <DeliveryLog webhook={w} />}</div>
      <Dialog
        open={dialog === 'edit'}
        title={t('webhooks.editTitle', { url: w.url })}
        onClose={closeDialog}
      >
        <EditWebhookForm webhook={w} onDone={closeDialog} />
      </Dialog>
      <ConfirmDialog
        open={dialog === 'delete'}
        title={t('webhooks.deleteTitle')}
        onClose={closeDialog}
        confirmLabel={t('webhooks.delete')}
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
      >
        <p>{t('webhooks.deleteText', { url: w.url })}</p>
        <ProblemAlert error={remove.error} />
      </ConfirmDialog>
    </li>
  );
}

function EditWebhookForm({ webhook: w, onDone }: { webhook: Webhook; onDone: () => void }) {
  const { t } = useTranslation();
  const refresh = useRefresh(['webhooks']);
  const [draft, setDraft] = useState<WebhookDraft>(() => ({
    url: w.url,
    description: w.description ?? '',
    all: w.eventTypes.includes('*'),
    eventTypes: EVENT_TYPES.filter((e) => w.eventTypes.includes(e)),
  }));
  const problems = useMemo(() => webhookProblems(draft), [draft]);
  const check = useFormCheck(draft, problems, { idPrefix: `edit-webhook-${w.id}` });
  const save = useMutation({
    mutationFn: () => {
      const description = draft.description.trim();
      return call(() =>
        api.PATCH('/api/v1/webhooks/{id}', {
          params: { path: { id: w.id } },
          body: {
            url: draft.url.trim(),
            eventTypes: eventTypesOf(draft),
            description: description || null,
          },
        }),
      );
    },
    onSuccess: () => onDone(),
    onError: (error) => check.refused(error),
    onSettled: () => refresh(),
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (save.isPending || !check.attempt()) return;
    save.mutate();
  };
  return (
    <FormCheckProvider value={check.context}>
      <form ref={check.formRef} onSubmit={submit} noValidate>
        <WebhookFields draft={draft} onChange={setDraft} />
        <FormSummary check={check} refusal={save.error} />
        <SubmitRow label={t('app.save')} busy={save.isPending} onCancel={onDone} />
      </form>
    </FormCheckProvider>
  );
}

/** One webhook's deliveries, newest first, filterable by status, each with its attempts. */
function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const log = useQuery({
    queryKey: ['webhooks', webhook.id, 'deliveries', page, status],
    placeholderData: keepPreviousData,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/webhooks/{id}/deliveries', {
          params: {
            path: { id: webhook.id },
            query: { page, pageSize: DELIVERY_PAGE_SIZE, ...(status ? { status } : {}) },
          },
        }),
      ),
  });
  const filterId = `deliveries-${webhook.id}-status`;
  return (
    <section className="delivery-log" aria-label={t('webhooks.deliveriesOf', { url: webhook.url })}>
      <h4>{t('webhooks.deliveries')}</h4>
      <div className="field inline">
        <label htmlFor={filterId} className="label-text">
          {t('webhooks.status')}
        </label>
        <select
          id={filterId}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as DeliveryStatus | '');
            setPage(1);
          }}
        >
          <option value="">{t('webhooks.anyStatus')}</option>
          <Options values={DELIVERY_STATUSES} label={(s) => t(`webhooks.deliveryStatuses.${s}`)} />
        </select>
        <ReloadButton query={log} />
      </div>
      <PagedTable
        query={log}
        empty={t('webhooks.noDeliveries')}
        pagerLabel={t('webhooks.deliveryPages')}
        onPage={setPage}
        caption={t('webhooks.deliveriesOf', { url: webhook.url })}
        columns={[
          t('webhooks.when'),
          t('webhooks.event'),
          t('webhooks.partnership'),
          t('webhooks.status'),
          t('webhooks.attempts'),
          t('webhooks.lastStatus'),
        ]}
        row={(d) => <DeliveryRow key={d.id} delivery={d} language={i18n.language} />}
      />
    </section>
  );
}

function DeliveryRow({ delivery: d, language }: { delivery: Delivery; language: string }) {
  const { t } = useTranslation();
  const badge =
    d.status === 'delivered' ? 'badge-ok' : d.status === 'failed' ? 'badge-danger' : 'badge-warn';
  return (
    <tr>
      <td>
        <time dateTime={d.createdAt}>{formatDateTime(d.createdAt, language)}</time>
        {d.deliveredAt && (
          <p className="small muted">
            {t('webhooks.deliveredAt', { when: formatDateTime(d.deliveredAt, language) })}
          </p>
        )}
      </td>
      <td>
        {t(eventKey(d.eventType), { defaultValue: d.eventType })}{' '}
        <code className="small">
          {d.eventType} #{d.eventSequence}
        </code>
      </td>
      <td>
        <Link to={`/partnerships/${d.partnershipId}`}>{t('webhooks.openPartnership')}</Link>
      </td>
      <td>
        <span className={`badge ${badge}`}>{t(`webhooks.deliveryStatuses.${d.status}`)}</span>
      </td>
      <td>{d.attemptCount}</td>
      <td>
        {d.lastStatusCode !== null && <span>HTTP {d.lastStatusCode}</span>}
        {d.lastError && <p className="small text-danger">{d.lastError}</p>}
        {(d.attempts.length > 0 || d.payload) && (
          <details className="delivery-detail">
            <summary>{t('webhooks.details')}</summary>
            {d.attempts.length > 0 && (
              <ol className="attempts">
                {d.attempts.map((a) => (
                  <li key={a.attempt}>
                    {t('webhooks.attemptLine', {
                      n: a.attempt,
                      when: formatDateTime(a.attemptedAt, language),
                      ms: a.durationMs,
                    })}{' '}
                    {a.statusCode !== null && <span>HTTP {a.statusCode}</span>}
                    {a.error && <span className="text-danger"> {a.error}</span>}
                  </li>
                ))}
              </ol>
            )}
            <p className="small muted">{t('webhooks.payload')}</p>
            <pre className="payload">{JSON.stringify(d.payload, null, 2)}</pre>
          </details>
        )}
      </td>
    </tr>
  );
}
