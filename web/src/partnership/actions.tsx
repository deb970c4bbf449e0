import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ProblemAlert } from '../components/problem';
import { LabelField } from '../forms/field';
import { StatusNote, SubmitRow } from '../forms/form-footer';
import { Dialog } from './dialog';
import { useCanAct } from './members';
import { useAction } from './use-action';
import { nextStage, previousStage, type Partnership, isEnded } from './use-partnership';

type Transition = 'advance' | 'send-back' | 'pause' | 'resume' | 'close';

const PATHS = {
  advance: '/api/v1/partnerships/{id}/advance',
  'send-back': '/api/v1/partnerships/{id}/send-back',
  pause: '/api/v1/partnerships/{id}/pause',
  resume: '/api/v1/partnerships/{id}/resume',
  close: '/api/v1/partnerships/{id}/close',
} as const;

/** Advance, send back (reason), pause, resume, close (reason); a refusal says why, in words. */
export function PartnershipActions({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const id = partnership.id;
  const [asking, setAsking] = useState<'send-back' | 'close' | undefined>();
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | undefined>();
  const action = useAction(id, (arg: { transition: Transition; reason?: string }) =>
    call(() =>
      api.POST(PATHS[arg.transition], {
        params: { path: { id } },
        body: arg.reason ? { reason: arg.reason } : {},
      }),
    ),
  );
  const canAct = useCanAct(id);
  const ended = isEnded(partnership);
  const next = nextStage(partnership.stage);
  const previous = previousStage(partnership.stage);
  const pauseOrResume = partnership.status === 'paused' ? 'resume' : 'pause';

  const run = (transition: Transition, withReason?: string): void => {
    setDone(undefined);
    action.mutate(
      { transition, reason: withReason },
      {
        onSuccess: (view) => {
          setAsking(undefined);
          setReason('');
          if (transition === 'advance')
            setDone(t('partnership.done_advance', { stage: t(`stages.${view.stage}`) }));
        },
      },
    );
  };
  const submitReason = (e: FormEvent): void => {
    e.preventDefault();
    if (asking && reason.trim()) run(asking, reason.trim());
  };

  if (ended || !canAct) return null;
  return (
    <section className="panel" aria-labelledby="actions-title">
      <h2 id="actions-title">{t('partnership.actions')}</h2>
      <div className="button-row">
        {next && (
          <button
            type="button"
            className="button-primary"
            disabled={action.isPending || partnership.status === 'paused'}
            onClick={() => run('advance')}
          >
            {t('partnership.advance', { stage: t(`stages.${next}`) })}
          </button>
        )}
        {previous && (
          <button
            type="button"
            className="button-secondary"
            disabled={action.isPending}
            onClick={() => setAsking('send-back')}
          >
            {t('partnership.sendBack')}
          </button>
        )}
        <button
          type="button"
          className="button-secondary"
          disabled={action.isPending}
          onClick={() => run(pauseOrResume)}
        >
          {t(`partnership.${pauseOrResume}`)}
        </button>
        <button
          type="button"
          className="button-danger"
          disabled={action.isPending}
          onClick={() => setAsking('close')}
        >
          {t('partnership.close')}
        </button>
      </div>
      {!asking && <ProblemAlert error={action.error} />}
      <StatusNote message={done} />
      <Dialog
        open={asking !== undefined}
        title={asking === 'close' ? t('partnership.close') : t('partnership.sendBack')}
        onClose={() => {
          setAsking(undefined);
          action.reset();
        }}
      >
        <form onSubmit={submitReason}>
          {asking === 'close' && <p>{t('partnership.closeExplained')}</p>}
          <LabelField label={t('partnership.reason')}>
            <textarea
              required
              maxLength={2000}
              rows={3}
              value={reason}
              aria-describedby="reason-help"
              onChange={(e) => setReason(e.target.value)}
            />
            <span id="reason-help" className="help">
              {t('partnership.reasonHelp')}
            </span>
          </LabelField>
          <ProblemAlert error={action.error} />
          <SubmitRow
            danger={asking === 'close'}
            busy={action.isPending}
            label={
              asking === 'close'
                ? t('partnership.confirmClose')
                : t('partnership.confirmSendBack', {
                    stage: previous ? t(`stages.${previous}`) : '',
                  })
            }
          />
        </form>
      </Dialog>
    </section>
  );
}
