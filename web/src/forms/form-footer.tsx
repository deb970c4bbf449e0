import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A form's buttons: the one that sends it (disabled while busy) and, with `onCancel`, Cancel
 * beside it; `children` stand after them (a link away).
 */
export function SubmitRow({
  label,
  busy,
  danger,
  onCancel,
  children,
}: {
  label: string;
  busy: boolean;
  danger?: boolean;
  onCancel?: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className="button-row">
      <button type="submit" className={danger ? 'button-danger' : 'button-primary'} disabled={busy}>
        {label}
      </button>
      {onCancel && (
        <button type="button" className="button-secondary" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      )}
      {children}
    </div>
  );
}

/** What a step just did, announced politely; nothing while there is nothing to say. */
export function StatusNote({ message }: { message: string | false | undefined }) {
  if (!message) return null;
  return (
    <p role="status" className="alert alert-ok">
      {message}
    </p>
  );
}
