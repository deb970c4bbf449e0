import type { UseMutationResult } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../components/problem';
import { LabelField } from '../forms/field';
import { SubmitRow } from '../forms/form-footer';
import { Dialog } from './dialog';

/**
 * A button opening a dialog that asks one text (a reason, a comment) before a step: what the
 * step does, the text, the refusal if any, and the button that takes it. The dialog closes once
 * the step is taken; closing it forgets a refusal.
 */
export function TextActionDialog({
  buttonLabel,
  buttonClassName,
  intro,
  label,
  required,
  rows,
  submitLabel,
  danger,
  action,
}: {
  buttonLabel: string;
  buttonClassName: string;
  intro: string;
  label: string;
  required: boolean;
  rows: number;
  submitLabel: string;
  danger?: boolean;
  /** Takes the trimmed text ('' when none was given). */
  action: UseMutationResult<unknown, Error, string>;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (action.isPending || (required && !text.trim())) return;
    action.mutate(text.trim(), { onSuccess: () => setOpen(false) });
  };
  return (
    <>
      <button type="button" className={buttonClassName} onClick={() => setOpen(true)}>
        {buttonLabel}
      </button>
      <Dialog
        open={open}
        title={buttonLabel}
        onClose={() => {
          setOpen(false);
          action.reset();
        }}
      >
        <form onSubmit={submit}>
          <p>{intro}</p>
          <LabelField
            label={
              <>
                {label}
                {!required && <span className="muted optional"> ({t('app.optional')})</span>}
              </>
            }
          >
            <textarea
              required={required}
              maxLength={2000}
              rows={rows}
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </LabelField>
          <ProblemAlert error={action.error} />
          <SubmitRow danger={danger} busy={action.isPending} label={submitLabel} />
        </form>
      </Dialog>
    </>
  );
}
