import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { countryName } from '../format';
import { localeOf } from '../i18n';
import { FormCheckProvider, FormSummary, useFormCheck } from '../forms/field';
import { StatusNote, SubmitRow } from '../forms/form-footer';
import { PolicyFields } from '../forms/policy-fields';
import {
  draftFromPolicy,
  policyPatch,
  policyProblems,
  type FollowUpPolicy,
  type FollowUpPolicyPatch,
  type PolicyDraft,
} from '../forms/policy-form';
import { useCanAct } from './members';
import { useRefreshPartnership, type Partnership, isEnded } from './use-partnership';

/** "18 hours", "90 minutes" (working time), in the viewer's language. */
export function formatWorkingTime(minutes: number, language: string): string {
  const hours = minutes % 60 === 0;
  return new Intl.NumberFormat(localeOf(language), {
    style: 'unit',
    unit: hours ? 'hour' : 'minute',
    unitDisplay: 'long',
  }).format(hours ? minutes / 60 : minutes);
}

/**
 * The partnership's follow-up policy: what Entente reminds whom of, and when. Its coordinators
 * and administrators change it; every change is planned again at once and shows in "Next
 * follow-ups".
 */
export function FollowUpPolicySection({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const canAct = useCanAct(partnership.id);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const ended = isEnded(partnership);
  // After the form goes, focus returns to the button that opened it.
  useEffect(() => {
    if (!editing && returnFocus.current) {
      returnFocus.current = false;
      editButton.current?.focus();
    }
  }, [editing]);
  const close = (): void => {
    returnFocus.current = true;
    setEditing(false);
  };
  return (
    <section className="panel" aria-labelledby="policy-title">
      <div className="panel-head">
        <h2 id="policy-title">{t('partnership.followUpPolicy')}</h2>
        {canAct && !ended && !editing && (
          <button
            ref={editButton}
            type="button"
            className="button-secondary"
            onClick={() => {
              setSaved(false);
              setEditing(true);
            }}
          >
            {t('policy.edit')}
          </button>
        )}
      </div>
      <StatusNote message={saved && t('policy.saved')} />
      {editing ? (
        <PolicyForm
          partnership={partnership}
          onDone={(didSave) => {
            setSaved(didSave);
            close();
          }}
        />
      ) : (
        <PolicySummary policy={partnership.followUpPolicy} />
      )}
      {!editing && ended && <p className="muted small">{t('policy.ended')}</p>}
      {!editing && !ended && !canAct && <p className="muted small">{t('policy.readOnly')}</p>}
    </section>
  );
}

function PolicySummary({ policy: p }: { policy: FollowUpPolicy }) {
  const { t, i18n } = useTranslation();
  const time = (minutes: number): string => formatWorkingTime(minutes, i18n.language);
  return (
    <dl className="policy-summary">
      <dt>{t('policy.approvals')}</dt>
      <dd>
        {t('policy.summaryApprovals', {
          first: time(p.approvals.firstAfterWorkingMinutes),
          every: time(p.approvals.repeatEveryWorkingMinutes),
          count: p.approvals.maxReminders,
        })}{' '}
        {p.approvals.escalate ? t('policy.escalates') : t('policy.noEscalation')}
      </dd>
      <dt>{t('policy.overdueTasks')}</dt>
      <dd>
        {p.overdueTasks.enabled
          ? t('policy.summaryOverdue', {
              every: time(p.overdueTasks.repeatEveryWorkingMinutes),
              count: p.overdueTasks.maxReminders,
            })
          : t('policy.off')}
      </dd>
      <dt>{t('policy.stalledStage')}</dt>
      <dd>
        {p.stalledStage.enabled
          ? t('policy.summaryStalled', {
              after: t('policy.workingDays', { count: p.stalledStage.afterWorkingDays }),
              count: p.stalledStage.maxReminders,
            })
          : t('policy.off')}
      </dd>
      <dt>{t('policy.coordinatorZone')}</dt>
      <dd>
        {p.coordinator.timeZone} · {t(`languages.${p.coordinator.language}`)}
      </dd>
      <dt>{t('policy.coordinatorPlace')}</dt>
      <dd>
        {p.coordinator.country
          ? [countryName(p.coordinator.country, i18n.language), p.coordinator.region]
              .filter(Boolean)
              .join(' · ')
          : t('policy.coordinatorNoPlace')}
      </dd>
      <dt>{t('policy.emails')}</dt>
      <dd>{p.bilingualEmails ? t('policy.bilingualOn') : t('policy.bilingualOff')}</dd>
    </dl>
  );
}

function PolicyForm({
  partnership,
  onDone,
}: {
  partnership: Partnership;
  onDone: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const refresh = useRefreshPartnership(partnership.id);
  const current = partnership.followUpPolicy;
  const [draft, setDraft] = useState<PolicyDraft>(() => draftFromPolicy(current));
  const problems = useMemo(
    () => policyProblems(draft, '', true, partnership.followUpPolicy),
    [draft, partnership.followUpPolicy],
  );
  const check = useFormCheck(draft, problems, { idPrefix: 'policy' });
  const [unchanged, setUnchanged] = useState(false);
  const save = useMutation({
    mutationFn: (body: FollowUpPolicyPatch) =>
      call(() =>
        api.PATCH('/api/v1/partnerships/{id}/follow-up-policy', {
          params: { path: { id: partnership.id } },
          body,
        }),
      ),
    onSuccess: () => onDone(true),
    onError: (error) => check.refused(error),
    onSettled: () => refresh(),
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setUnchanged(false);
    if (save.isPending || !check.attempt()) return;
    const patch = policyPatch(draft, current);
    if (!patch) {
      setUnchanged(true);
      return;
    }
    save.mutate(patch);
  };
  const formRef = check.formRef;
  // The form opens with focus on its first field.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input, select')?.focus();
  }, [formRef]);
  return (
    <FormCheckProvider value={check.context}>
      <form ref={check.formRef} onSubmit={submit} noValidate className="form-grid policy-form">
        <PolicyFields
          draft={draft}
          onChange={(next) => {
            setUnchanged(false);
            setDraft(next);
          }}
          prefix=""
          mode="edit"
          withCoordinator
        />
        <FormSummary check={check} refusal={save.error}>
          <StatusNote message={unchanged && t('errors.NOTHING_TO_CHANGE')} />
        </FormSummary>
        <SubmitRow label={t('policy.save')} busy={save.isPending} onCancel={() => onDone(false)} />
      </form>
    </FormCheckProvider>
  );
}
