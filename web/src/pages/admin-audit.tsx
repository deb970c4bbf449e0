import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call, type components } from '../api/client';
import { DownloadButton } from '../components/download-button';
import { formatDateTime } from '../format';
import { adminPage, AdminPageFrame, useAdminList } from '../forms/admin';
import { PagedTable, ReloadButton } from '../forms/paged-list';

type Entry = components['schemas']['AuditEntryView'];

const PAGE_SIZE = 50;

/** i18n keys of the actions apps/api/src/platform/audit.ts records. */
const ACTIONS: Record<string, string> = {
  'user.created': 'audit.actions.userCreated',
  'user.updated': 'audit.actions.userUpdated',
  'api_token.created': 'audit.actions.apiTokenCreated',
  'api_token.revoked': 'audit.actions.apiTokenRevoked',
  'user.api_tokens_revoked': 'audit.actions.userApiTokensRevoked',
  'partnership.member_set': 'audit.actions.memberSet',
  'partnership.member_removed': 'audit.actions.memberRemoved',
  'webhook.created': 'audit.actions.webhookCreated',
  'webhook.updated': 'audit.actions.webhookUpdated',
  'webhook.deleted': 'audit.actions.webhookDeleted',
  'organisation.closure_set': 'audit.actions.closureSet',
  'organisation.closure_removed': 'audit.actions.closureRemoved',
};

function AuditLog() {
  const { t, i18n } = useTranslation();
  const { query: log, setPage } = useAdminList(['audit-log'], (page) =>
    call(() => api.GET('/api/v1/audit-log', { params: { query: { page, pageSize: PAGE_SIZE } } })),
  );
  return (
    <AdminPageFrame
      id="audit"
      title={t('audit.title')}
      error={log.error}
      actions={
        <>
          <DownloadButton
            label={t('app.downloadCsv')}
            filename="audit-log.csv"
            fetch={() => api.GET('/api/v1/audit-log/export.csv', { parseAs: 'blob' })}
          />
          <ReloadButton query={log} />
        </>
      }
    >
      <p className="muted">{t('audit.intro')}</p>
      <div className="panel">
        <PagedTable
          query={log}
          empty={t('audit.empty')}
          pagerLabel={t('audit.pages')}
          onPage={setPage}
          caption={t('audit.title')}
          columns={[
            t('audit.when'),
            t('audit.who'),
            t('audit.action'),
            t('audit.target'),
            t('audit.details'),
          ]}
          row={(entry) => <AuditRow key={entry.id} entry={entry} language={i18n.language} />}
        />
      </div>
    </AdminPageFrame>
  );
}

/** The audit log: every administrative change with who made it, newest first. */
export default adminPage('audit.title', AuditLog);

function AuditRow({ entry: e, language }: { entry: Entry; language: string }) {
  const { t } = useTranslation();
  const action = ACTIONS[e.action];
  return (
    <tr>
      <td>
        <time dateTime={e.at}>{formatDateTime(e.at, language)}</time>
      </td>
      <td>
        {e.actor ? (
          <>
            {e.actor.name}
            <br />
            <span className="muted small">{e.actor.email}</span>
          </>
        ) : (
          <span className="muted">{t('audit.configuration')}</span>
        )}
      </td>
      <td>
        {action ? t(action) : e.action}
        {action && (
          <>
            <br />
            <code className="small muted">{e.action}</code>
          </>
        )}
      </td>
      <td>
        <Target entry={e} />
      </td>
      <td>
        <Details details={e.details} />
      </td>
    </tr>
  );
}

/** What was changed: a partnership links to its page; a user shows their e-mail. */
function Target({ entry: e }: { entry: Entry }) {
  const { t } = useTranslation();
  if (e.action.startsWith('partnership.')) {
    return <Link to={`/partnerships/${e.target}`}>{t('audit.openPartnership')}</Link>;
  }
  const email = typeof e.details.email === 'string' ? e.details.email : undefined;
  const url = typeof e.details.url === 'string' ? e.details.url : undefined;
  return (
    <>
      {(email ?? url) && (
        <>
          {email ?? url}
          <br />
        </>
      )}
      <code className="small muted">{e.target}</code>
    </>
  );
}

/** The recorded details, field by field (never a password: the API writes "changed"). */
function Details({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details);
  if (entries.length === 0) return null;
  return (
    <dl className="audit-details">
      {entries.map(([key, value]) => (
        <div key={key}>
          <dt>{key}</dt>
          <dd>
            <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}
