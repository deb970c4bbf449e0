import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { api, call } from '../api/client';
import { DownloadButton } from '../components/download-button';
import { ProblemAlert } from '../components/problem';
import { formatDuration } from '../format';

const DAY = 86_400;
const days = (seconds: number | null): number | null =>
  seconds === null ? null : Math.round((seconds / DAY) * 10) / 10;

/**
 * Insight across the partnerships the user may see (docs/analytics.md): time in each stage,
 * approval answer time per organisation, waiting per side. Each chart has its table beside it
 * (the text equivalent, for screen readers and for the exact figures).
 */
export default function InsightPage() {
  const { t, i18n } = useTranslation();
  const insight = useQuery({
    queryKey: ['insight'],
    queryFn: () => call(() => api.GET('/api/v1/insight', { params: { query: { pageSize: 1 } } })),
  });
  const data = insight.data;
  const duration = (s: number | null) => (s === null ? '—' : formatDuration(s, i18n.language));
  const sideName = (s: { organisationName: string | null }) =>
    s.organisationName ?? t('insight.waitingOn.coordinator');
  return (
    <section className="page" aria-labelledby="insight-page-title">
      <h1 id="insight-page-title">{t('insight.pageTitle')}</h1>
      <p className="muted">{t('insight.pageIntro')}</p>
      <DownloadButton
        label={t('app.downloadCsv')}
        filename="insight.csv"
        fetch={() => api.GET('/api/v1/insight/export.csv', { parseAs: 'blob' })}
      />
      <ProblemAlert error={insight.error} />
      {data && (
        <>
          <section className="panel" aria-labelledby="insight-stages">
            <h2 id="insight-stages">{t('insight.stagesTitle')}</h2>
            {/* The table below says the same to screen readers; the chart is not in the tab order. */}
            <div aria-hidden="true">
              <BarChart
                accessibilityLayer={false}
                width={640}
                height={240}
                data={data.stages.map((s) => ({
                  name: t(`stages.${s.stage}`),
                  median: days(s.medianSeconds),
                  p90: days(s.p90Seconds),
                }))}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="name" />
                <YAxis unit={` ${t('insight.daysUnit')}`} />
                <Tooltip />
                <Legend />
                <Bar dataKey="median" name={t('insight.median')} fill="#1f5f8b" />
                <Bar dataKey="p90" name={t('insight.p90')} fill="#a34a00" />
              </BarChart>
            </div>
            <table className="table small">
              <caption>{t('insight.stagesTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('insight.stage')}</th>
                  <th scope="col">{t('insight.median')}</th>
                  <th scope="col">{t('insight.p90')}</th>
                  <th scope="col">{t('insight.endedStays')}</th>
                  <th scope="col">{t('insight.openStays')}</th>
                </tr>
              </thead>
              <tbody>
                {data.stages.map((s) => (
                  <tr key={s.stage}>
                    <th scope="row">{t(`stages.${s.stage}`)}</th>
                    <td>{duration(s.medianSeconds)}</td>
                    <td>{duration(s.p90Seconds)}</td>
                    <td>{s.endedStays}</td>
                    <td>{s.openStays}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="panel" aria-labelledby="insight-approvals">
            <h2 id="insight-approvals">{t('insight.approvalsTitle')}</h2>
            <table className="table small">
              <caption>{t('insight.approvalsTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('insight.organisation')}</th>
                  <th scope="col">{t('insight.median')}</th>
                  <th scope="col">{t('insight.p90')}</th>
                  <th scope="col">{t('insight.answered')}</th>
                </tr>
              </thead>
              <tbody>
                {data.approvalTurnaround.map((o) => (
                  <tr key={o.organisationId}>
                    <th scope="row">{o.organisationName}</th>
                    <td>{duration(o.medianSeconds)}</td>
                    <td>{duration(o.p90Seconds)}</td>
                    <td>{o.answered}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="panel" aria-labelledby="insight-sides">
            <h2 id="insight-sides">{t('insight.sidesTitle')}</h2>
            {/* The table below says the same to screen readers; the chart is not in the tab order. */}
            <div aria-hidden="true">
              <BarChart
                accessibilityLayer={false}
                width={640}
                height={240}
                layout="vertical"
                data={data.sides.map((s) => ({
                  name: sideName(s),
                  waited: days(s.waitingSeconds),
                }))}
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" unit={` ${t('insight.daysUnit')}`} />
                <YAxis type="category" dataKey="name" width={200} />
                <Tooltip />
                <Bar dataKey="waited" name={t('insight.waited')} fill="#1f5f8b" />
              </BarChart>
            </div>
            <table className="table small">
              <caption>{t('insight.sidesTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('insight.side')}</th>
                  <th scope="col">{t('insight.waitingNow')}</th>
                  <th scope="col">{t('insight.waited')}</th>
                  <th scope="col">{t('insight.overdue')}</th>
                </tr>
              </thead>
              <tbody>
                {data.sides.map((s) => (
                  <tr key={s.organisationId ?? 'coordinator'}>
                    <th scope="row">{sideName(s)}</th>
                    <td>{s.waitingNow}</td>
                    <td>{duration(s.waitingSeconds)}</td>
                    <td>{s.overdueTasks}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </section>
  );
}
