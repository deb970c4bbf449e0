import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ProblemAlert } from '../components/problem';
import { PartnershipActions } from '../partnership/actions';
import { ReopenPartnership } from '../partnership/reopen';
import { EditDetails } from '../partnership/changes';
import { CommentSection } from '../partnership/comments';
import { ApprovalsSection } from '../partnership/approvals';
import { EventsSection, type EventDraft } from '../partnership/events';
import { FollowUpsSection } from '../partnership/follow-ups';
import { Gate } from '../partnership/gate';
import { InsightSection } from '../partnership/insight';
import { KnowledgeSection } from '../partnership/knowledge';
import { MeetingTimeSection } from '../partnership/meeting-time';
import { MembersSection, useCanAct } from '../partnership/members';
import { PartnersSection } from '../partnership/partners';
import { FollowUpPolicySection } from '../partnership/policy';
import { TasksSection } from '../partnership/tasks';
import { TemplateVersionSection } from '../partnership/template-version';
import { Timeline } from '../partnership/timeline';
import { WorkingDaysSection } from '../partnership/working-days';
import {
  STAGES,
  usePartnership,
  useRefreshPartnership,
  type Partnership,
} from '../partnership/use-partnership';
import { useTimeline } from '../partnership/use-timeline';

export function PartnershipPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const query = usePartnership(id);
  const refresh = useRefreshPartnership(id);
  // Live events re-read the page's data; a burst of events costs one re-read.
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onEvent = useCallback(() => {
    if (pending.current) clearTimeout(pending.current);
    pending.current = setTimeout(() => void refresh(), 150);
  }, [refresh]);
  useEffect(() => () => clearTimeout(pending.current), []);
  const { entries, state } = useTimeline(id, onEvent);
  // A slot the meeting-time finder offers, to schedule an event at.
  const [draft, setDraft] = useState<EventDraft | null>(null);
  const canAct = useCanAct(id);

  if (query.error) {
    return (
      <section className="page">
        <ProblemAlert error={query.error} />
        <Link to="/">{t('app.backToBoard')}</Link>
      </section>
    );
  }
  const p = query.data;
  if (!p) return <p className="page-loading">{t('app.loading')}</p>;
  return (
    <article className="page partnership-page" aria-labelledby="partnership-title">
      <header className="partnership-head">
        <p className="breadcrumb">
          <Link to="/">{t('nav.board')}</Link>
        </p>
        <h1 id="partnership-title">{p.title}</h1>
        <p>
          <span className={`badge badge-${p.status}`}>{t(`statuses.${p.status}`)}</span>{' '}
          <span className="muted">
            {t('partnership.coordinator')}: {p.coordinator.name}
          </span>
        </p>
        {!p.recorded && <p className="muted">{t('partnership.notProjected')}</p>}
        <EditDetails partnership={p} />
      </header>
      <StageProgress partnership={p} />
      <div className="partnership-grid">
        <div className="column-main">
          <Gate partnership={p} />
          <PartnershipActions partnership={p} />
          <ReopenPartnership partnership={p} />
          <TasksSection partnership={p} />
          <CommentSection partnership={p} />
          <ApprovalsSection partnership={p} />
          <KnowledgeSection partnership={p} />
          <EventsSection partnership={p} draft={draft} />
          <MeetingTimeSection partnership={p} onSchedule={canAct ? setDraft : undefined} />
          <WorkingDaysSection partnership={p} />
        </div>
        <div className="column-side">
          <PartnersSection partnership={p} />
          <InsightSection partnership={p} />
          <FollowUpsSection partnership={p} />
          <FollowUpPolicySection partnership={p} />
          <MembersSection partnership={p} />
          <TemplateVersionSection partnership={p} />
          <Timeline partnership={p} entries={entries} state={state} />
        </div>
      </div>
    </article>
  );
}

function StageProgress({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const current = STAGES.indexOf(partnership.stage);
  return (
    <nav aria-label={t('partnership.stageProgress')}>
      <ol className="stage-progress">
        {STAGES.map((stage, i) => (
          <li
            key={stage}
            className={i < current ? 'is-done' : i === current ? 'is-current' : ''}
            aria-current={i === current ? 'step' : undefined}
          >
            <span className="step-number" aria-hidden="true">
              {i + 1}
            </span>
            <span>{t(`stages.${stage}`)}</span>
            {i < current && <span className="visually-hidden"> ({t('partnership.done')})</span>}
            {i === current && (
              <span className="visually-hidden"> ({t('partnership.current')})</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
