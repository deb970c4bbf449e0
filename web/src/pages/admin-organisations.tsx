import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, call, type components } from '../api/client';
import { useRefresh } from '../api/use-refresh';
import { ProblemAlert } from '../components/problem';
import { countryName, formatDate, formatDateTime } from '../format';
import { adminPage, AdminPageFrame } from '../forms/admin';
import { FormCheckProvider, FormSummary, TextField, useFormCheck } from '../forms/field';
import { StatusNote, SubmitRow } from '../forms/form-footer';
import { PagedTable } from '../forms/paged-list';
import { usePageParam } from '../forms/pager';
import { useDebounced } from '../forms/use-debounced';
import { closureDateRange, draftProblems, type Draft } from '../forms/closure-form';
import { ConfirmDialog } from '../partnership/dialog';

type Organisation = components['schemas']['OrganisationView'];
type Closure = components['schemas']['ClosureView'];
type Change = components['schemas']['ClosureChangeView'];

const PAGE_SIZE = 20;

/**
 * Organisations and their own closure days: an admin finds an organisation by name and closes it
 * on a date (or opens it again); every working calendar of it counts the closure, and the
 * follow-ups of its open partnerships are planned again at once (docs/calendars.md).
 */
function Organisations() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [page, setPage] = usePageParam();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const list = useQuery({
    queryKey: ['organisations', 'admin', q, page],
    placeholderData: keepPreviousData,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/organisations', {
          params: { query: { page, pageSize: PAGE_SIZE, ...(q ? { q } : {}) } },
        }),
      ),
  });
  const selectedId = params.get('organisation');
  const choose = (id: string) =>
    setParams((p) => {
      p.set('organisation', id);
      return p;
    });
  return (
    <AdminPageFrame id="organisations" title={t('closures.title')} error={list.error}>
      <p className="muted">{t('closures.intro')}</p>
      <div className="panel">
        <label className="field">
          <span className="label-text">{t('closures.search')}</span>
          <input
            type="search"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setPage(1);
            }}
          />
        </label>
        <PagedTable
          query={list}
          empty={t('closures.noOrganisations')}
          pagerLabel={t('closures.pages')}
          onPage={setPage}
          caption={t('closures.organisations')}
          columns={[
            t('closures.organisation'),
            t('closures.country'),
            t('closures.region'),
            t('closures.actions'),
          ]}
          row={(o: Organisation) => (
            <tr key={o.id} aria-current={o.id === selectedId ? 'true' : undefined}>
              <td>{o.name}</td>
              <td>{countryName(o.country, i18n.language)}</td>
              <td>{o.region ?? '—'}</td>
              <td>
                <button
                  type="button"
                  className="button-secondary"
                  aria-label={t('closures.manageOf', { name: o.name })}
                  onClick={() => choose(o.id)}
                >
                  {t('closures.manage')}
                </button>
              </td>
            </tr>
          )}
        />
      </div>
      {selectedId && <ClosuresPanel key={selectedId} organisationId={selectedId} />}
    </AdminPageFrame>
  );
}

/** Organisations: their own closure days, which every working calendar of them counts. */
export default adminPage('closures.title', Organisations);

/** One organisation's closure days, with the form that adds one (`?organisation=` names it). */
function ClosuresPanel({ organisationId }: { organisationId: string }) {
  const { t, i18n } = useTranslation();
  const key = ['organisations', organisationId, 'closures'];
  const refresh = useRefresh(key);
  const closures = useQuery({
    queryKey: key,
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/organisations/{id}/closures', {
          params: { path: { id: organisationId } },
        }),
      ),
  });
  const [draft, setDraft] = useState<Draft>({ date: '', name: '' });
  const problems = useMemo(() => draftProblems(draft), [draft]);
  const range = useMemo(() => closureDateRange(), []);
  const check = useFormCheck(draft, problems, { idPrefix: 'closure' });
  const [done, setDone] = useState<string>();
  const [removing, setRemoving] = useState<Closure>();
  const [unreached, setUnreached] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  // Chosen from the list: the panel's heading takes the focus, so the reader lands on it.
  useEffect(() => heading.current?.focus(), []);
  const said = (change: Change, message: string) => {
    const notReached = change.notReplanned.length;
    setUnreached(notReached);
    setDone(
      `${message ? `${message} ` : ''}${t('closures.replanned', { count: change.replanned.length })}${
        notReached ? ` ${t('closures.notReplanned', { count: notReached })}` : ''
      }`,
    );
  };
  const path = (date: string) => ({ path: { id: organisationId, date } });
  const add = useMutation({
    mutationFn: (d: Draft) =>
      call(() =>
        api.PUT('/api/v1/organisations/{id}/closures/{date}', {
          params: path(d.date),
          body: { name: d.name.trim() },
        }),
      ),
    onSuccess: (change, d) => {
      said(change, t('closures.added', { date: formatDate(d.date, i18n.language) }));
      setDraft({ date: '', name: '' });
      check.reset();
    },
    onError: (error) => check.refused(error),
    onSettled: () => refresh(),
  });
  const remove = useMutation({
    mutationFn: (c: Closure) =>
      call(() =>
        api.DELETE('/api/v1/organisations/{id}/closures/{date}', { params: path(c.date) }),
      ),
    onSuccess: (change, c) => {
      said(change, t('closures.removed', { date: formatDate(c.date, i18n.language) }));
      setRemoving(undefined);
      // Its button is gone with it: the panel's heading takes the focus.
      heading.current?.focus();
    },
    onSettled: () => refresh(),
  });
  const replan = useMutation({
    mutationFn: () =>
      call(() =>
        api.POST('/api/v1/organisations/{id}/closures/replan', {
          params: { path: { id: organisationId } },
        }),
      ),
    onSuccess: (change) => said(change, ''),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(undefined);
    if (check.attempt()) add.mutate(draft);
  };
  const items = closures.data?.items ?? [];
  return (
    <section className="panel" aria-labelledby="closures-title">
      <h2 id="closures-title" ref={heading} tabIndex={-1}>
        {t('closures.of', { name: closures.data?.organisationName ?? '…' })}
      </h2>
      <p className="muted">{t('closures.help')}</p>
      <StatusNote message={done} />
      {unreached > 0 && (
        <div className="button-row">
          <button
            type="button"
            className="button-secondary"
            disabled={replan.isPending}
            onClick={() => replan.mutate()}
          >
            {t('closures.replanAgain')}
          </button>
        </div>
      )}
      {replan.error ? <ProblemAlert error={replan.error} /> : null}
      <FormCheckProvider value={check.context}>
        <form ref={check.formRef} noValidate onSubmit={submit} className="inline-form">
          <FormSummary check={check} refusal={add.error} />
          <TextField
            path="date"
            type="date"
            min={range.min}
            max={range.max}
            label={t('closures.date')}
            value={draft.date}
            onChange={(date) => setDraft((d) => ({ ...d, date }))}
          />
          <TextField
            path="name"
            label={t('closures.name')}
            help={t('closures.nameHelp')}
            maxLength={100}
            value={draft.name}
            onChange={(name) => setDraft((d) => ({ ...d, name }))}
          />
          <SubmitRow label={t('closures.add')} busy={add.isPending} />
        </form>
      </FormCheckProvider>
      {closures.error ? <ProblemAlert error={closures.error} /> : null}
      {closures.isPending && <p className="muted">{t('app.loading')}</p>}
      {closures.data && items.length === 0 && <p className="muted">{t('closures.none')}</p>}
      {items.length > 0 && (
        <ul className="closure-list">
          {items.map((c) => (
            <li key={c.date}>
              <time dateTime={c.date}>{formatDate(c.date, i18n.language)}</time> · {c.name}{' '}
              <span className="muted small">
                {t('closures.setAt', { at: formatDateTime(c.updatedAt, i18n.language) })}
              </span>{' '}
              <button
                type="button"
                className="button-secondary"
                aria-label={t('closures.removeOf', { date: formatDate(c.date, i18n.language) })}
                onClick={() => {
                  remove.reset();
                  setRemoving(c);
                }}
              >
                {t('closures.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={removing !== undefined}
        title={t('closures.removeTitle')}
        onClose={() => setRemoving(undefined)}
        confirmLabel={t('closures.remove')}
        busy={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
      >
        <p>
          {removing &&
            t('closures.removeQuestion', {
              date: formatDate(removing.date, i18n.language),
              name: removing.name,
            })}
        </p>
        {remove.error ? <ProblemAlert error={remove.error} /> : null}
      </ConfirmDialog>
    </section>
  );
}
