import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../components/problem';
import { Pager } from './pager';

/** One page of a list, as the API sends it. */
export interface ListPage<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** What a paged list reads from its query (a TanStack Query result has all of it). */
export interface PageQuery<T> {
  data?: ListPage<T>;
  error: unknown;
  isPending: boolean;
  isFetching: boolean;
}

interface PagedListProps<T> {
  query: PageQuery<T>;
  /** The line shown when the page has no items. */
  empty: string;
  /** The Pager's accessible name. */
  pagerLabel: string;
  onPage: (page: number) => void;
}

/**
 * A paged list's states around its items: the error, loading, the empty line, and the Pager
 * underneath once a page has come. The items (none until then) are the caller's to lay out.
 */
export function PagedList<T>({
  query,
  empty,
  pagerLabel,
  onPage,
  children,
}: PagedListProps<T> & { children: (items: T[]) => ReactNode }) {
  const { t } = useTranslation();
  const data = query.data;
  return (
    <>
      {query.error ? <ProblemAlert error={query.error} /> : null}
      {query.isPending && <p className="muted">{t('app.loading')}</p>}
      {data && data.items.length === 0 && <p className="muted">{empty}</p>}
      {children(data?.items ?? [])}
      {data && (
        <Pager
          page={data.page}
          pageSize={data.pageSize}
          total={data.total}
          onPage={onPage}
          label={pagerLabel}
          busy={query.isFetching}
        />
      )}
    </>
  );
}

/**
 * A paged list as a table: a caption for screen readers, a header row of column names, a row per
 * item (`row` gives each its key). No table while there are no items.
 */
export function PagedTable<T>({
  caption,
  columns,
  row,
  ...list
}: PagedListProps<T> & {
  caption: string;
  columns: string[];
  row: (item: T) => ReactNode;
}) {
  return (
    <PagedList {...list}>
      {(items) =>
        items.length > 0 && (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{caption}</caption>
              <thead>
                <tr>
                  {columns.map((name, i) => (
                    <th key={i} scope="col">
                      {name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>{items.map((item) => row(item))}</tbody>
            </table>
          </div>
        )
      }
    </PagedList>
  );
}

/** Reads the list again now (a log that others write to while it is open). */
export function ReloadButton({
  query,
}: {
  query: { isFetching: boolean; refetch: () => Promise<unknown> };
}) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className="button-secondary"
      disabled={query.isFetching}
      onClick={() => void query.refetch()}
    >
      {t('webhooks.reload')}
    </button>
  );
}
