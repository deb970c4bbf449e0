import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A modal dialog on the native <dialog>: focus moves into it, Escape closes it, focus returns to
 * the button that opened it.
 */
export function Dialog({
  open,
  title,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  // Its own id: a page has several dialogs (one per member, per approval…), each named by its title.
  const titleId = useId();
  const { t } = useTranslation();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button
          type="button"
          className="button-ghost"
          onClick={onClose}
          aria-label={t('app.close')}
        >
          ×
        </button>
      </div>
      {open && children}
    </dialog>
  );
}

/**
 * A Dialog asking to confirm one dangerous step: what it says (and any error), then the danger
 * button that does it and Cancel, which closes it as Escape does.
 */
export function ConfirmDialog({
  open,
  title,
  onClose,
  confirmLabel,
  busy,
  onConfirm,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} title={title} onClose={onClose}>
      {children}
      <div className="button-row">
        <button type="button" className="button-danger" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
        <button type="button" className="button-secondary" onClick={onClose}>
          {t('app.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
