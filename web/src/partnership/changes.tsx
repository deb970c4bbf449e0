import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import type { components } from '../api/schema';
import { LanguageOptions } from '../components/language-switcher';
import {
  contactBody,
  contactDraft,
  contactProblems,
  detailsBody,
  detailsDraft,
  detailsProblems,
  type ContactDraft,
  type DetailsDraft,
} from '../forms/change-forms';
import { Field, FormCheckProvider, FormSummary, TextField, useFormCheck } from '../forms/field';
import { StatusNote, SubmitRow } from '../forms/form-footer';
import { WorkingHoursFields } from '../forms/working-hours-fields';
import { TimeZonePicker } from '../forms/policy-fields';
import { LANGUAGES, type Language } from '../../../libs/domain/vocabulary';
import { Dialog } from './dialog';
import { TextActionDialog } from './text-dialog';
import { useCanAct } from './members';
import { useAction } from './use-action';
import { isEnded, type Partnership } from './use-partnership';

type Contact = components['schemas']['ContactView'];
type Organisation = components['schemas']['OrganisationView'];

/** Whether the viewer may change the partnership's details now. */
export function useCanChange(partnership: Partnership): boolean {
  const canAct = useCanAct(partnership.id);
  return canAct && !isEnded(partnership) && partnership.recorded;
}

/** "Edit details": the title, the areas and the coordinator, in one change. */
export function EditDetails({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState(false);
  if (!useCanChange(partnership)) return null;
  return (
    <>
      <button
        type="button"
        className="button-secondary"
        onClick={() => {
          setSaved(false);
          setOpen(true);
        }}
      >
        {t('changes.editDetails')}
      </button>
      <StatusNote message={saved && t('changes.saved')} />
      <Dialog open={open} title={t('changes.editDetails')} onClose={() => setOpen(false)}>
        <DetailsForm
          partnership={partnership}
          onDone={(didSave) => {
            setSaved(didSave);
            setOpen(false);
          }}
        />
      </Dialog>
    </>
  );
}

function DetailsForm({
  partnership,
  onDone,
}: {
  partnership: Partnership;
  onDone: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<DetailsDraft>(() => detailsDraft(partnership));
  const problems = useMemo(() => detailsProblems(draft), [draft]);
  const check = useFormCheck(draft, problems, { idPrefix: 'details' });
  const [unchanged, setUnchanged] = useState(false);
  const save = useAction(partnership.id, (body: NonNullable<ReturnType<typeof detailsBody>>) =>
    call(() =>
      api.PATCH('/api/v1/partnerships/{id}', { params: { path: { id: partnership.id } }, body }),
    ),
  );
  const set = (patch: Partial<DetailsDraft>): void => {
    setUnchanged(false);
    setDraft({ ...draft, ...patch });
  };
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setUnchanged(false);
    if (save.isPending || !check.attempt()) return;
    const body = detailsBody(draft, partnership);
    if (!body) {
      setUnchanged(true);
      return;
    }
    save.mutate(body, { onSuccess: () => onDone(true), onError: (err) => check.refused(err) });
  };
  return (
    <FormCheckProvider value={check.context}>
      <form ref={check.formRef} onSubmit={submit} noValidate className="form-grid">
        <TextField
          path="title"
          label={t('create.name')}
          maxLength={200}
          value={draft.title}
          onChange={(title) => set({ title })}
        />
        <Field path="areas" label={t('partnership.areas')} help={t('create.areasHelp')} optional>
          {(control) => (
            <textarea
              {...control}
              rows={4}
              value={draft.areas}
              onChange={(e) => set({ areas: e.target.value })}
            />
          )}
        </Field>
        <fieldset className="contact-fields">
          <legend>{t('create.coordinator')}</legend>
          <NameAndEmail
            prefix="coordinator."
            labels={[t('create.coordinatorName'), t('create.coordinatorEmail')]}
            name={draft.coordinatorName}
            email={draft.coordinatorEmail}
            onName={(coordinatorName) => set({ coordinatorName })}
            onEmail={(coordinatorEmail) => set({ coordinatorEmail })}
          />
        </fieldset>
        <CommentField value={draft.comment} onChange={(comment) => set({ comment })} />
        <FormSummary check={check} refusal={save.error}>
          <StatusNote message={unchanged && t('errors.NOTHING_TO_CHANGE')} />
        </FormSummary>
        <SubmitRow label={t('changes.save')} busy={save.isPending} onCancel={() => onDone(false)} />
      </form>
    </FormCheckProvider>
  );
}

/** A person's name and e-mail side by side, at `${prefix}name` and `${prefix}email`. */
function NameAndEmail({
  prefix,
  labels: [nameLabel, emailLabel],
  name,
  email,
  onName,
  onEmail,
}: {
  prefix: string;
  labels: [string, string];
  name: string;
  email: string;
  onName: (v: string) => void;
  onEmail: (v: string) => void;
}) {
  return (
    <div className="field-row">
      <TextField
        path={`${prefix}name`}
        label={nameLabel}
        maxLength={200}
        value={name}
        onChange={onName}
      />
      <TextField
        path={`${prefix}email`}
        label={emailLabel}
        type="email"
        maxLength={320}
        value={email}
        onChange={onEmail}
      />
    </div>
  );
}

/** The optional comment a change records on the timeline (its dialogs share it). */
export function CommentField({
  value,
  onChange,
}: {
  value: string;
  onChange: (v: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Field path="comment" label={t('changes.comment')} help={t('changes.commentHelp')} optional>
      {(control) => (
        <textarea
          {...control}
          rows={2}
          maxLength={2000}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** A contact's "Edit" button and its dialog. */
export function EditContact({
  partnership,
  contact,
}: {
  partnership: Partnership;
  contact: Contact;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState<string | undefined>();
  if (!useCanChange(partnership)) return null;
  return (
    <>
      <button
        type="button"
        className="button-inline"
        aria-label={t('changes.editContactNamed', { name: contact.name })}
        onClick={() => {
          setNote(undefined);
          setOpen(true);
        }}
      >
        {t('changes.edit')}
      </button>
      <StatusNote message={note} />
      <Dialog
        open={open}
        title={t('changes.editContactNamed', { name: contact.name })}
        onClose={() => setOpen(false)}
      >
        <ContactForm
          partnership={partnership}
          contact={contact}
          onDone={(message) => {
            setNote(message);
            setOpen(false);
          }}
        />
      </Dialog>
    </>
  );
}

function ContactForm({
  partnership,
  contact,
  onDone,
}: {
  partnership: Partnership;
  contact: Contact;
  onDone: (message?: string) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<ContactDraft>(() => contactDraft(contact));
  const problems = useMemo(() => contactProblems(draft), [draft]);
  const check = useFormCheck(draft, problems, { idPrefix: 'contact' });
  const [unchanged, setUnchanged] = useState(false);
  const save = useAction(partnership.id, (body: NonNullable<ReturnType<typeof contactBody>>) =>
    call(() =>
      api.PATCH('/api/v1/partnerships/{id}/contacts/{contactId}', {
        params: { path: { id: partnership.id, contactId: contact.id } },
        body,
      }),
    ),
  );
  const set = (patch: Partial<ContactDraft>): void => {
    setUnchanged(false);
    setDraft({ ...draft, ...patch });
  };
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setUnchanged(false);
    if (save.isPending || !check.attempt()) return;
    const body = contactBody(draft, contact);
    if (!body) {
      setUnchanged(true);
      return;
    }
    save.mutate(body, {
      onSuccess: (result) =>
        onDone(
          result.alsoChanged.length > 0 || result.notChanged.length > 0
            ? [
                t('changes.contactSaved'),
                result.alsoChanged.length > 0 &&
                  t('changes.alsoChanged', { count: result.alsoChanged.length }),
                result.notChanged.length > 0 &&
                  t('changes.notChanged', { count: result.notChanged.length }),
              ]
                .filter(Boolean)
                .join(' ')
            : t('changes.contactSaved'),
        ),
      onError: (err) => check.refused(err),
    });
  };
  return (
    <FormCheckProvider value={check.context}>
      <form ref={check.formRef} onSubmit={submit} noValidate className="form-grid">
        <p className="help">{t('changes.contactHelp')}</p>
        <NameAndEmail
          prefix=""
          labels={[t('create.contactName'), t('create.contactEmail')]}
          name={draft.name}
          email={draft.email}
          onName={(name) => set({ name })}
          onEmail={(email) => set({ email })}
        />
        <Field path="language" label={t('create.contactLanguage')}>
          {(control) => (
            <select
              {...control}
              value={draft.language}
              onChange={(e) => set({ language: e.target.value as Language })}
            >
              <LanguageOptions languages={LANGUAGES} />
            </select>
          )}
        </Field>
        <Field path="timeZone" label={t('create.timeZone')} help={t('changes.timeZoneHelp')}>
          {(control) => (
            <TimeZonePicker
              control={control}
              value={draft.timeZone}
              onChange={(timeZone) => set({ timeZone })}
            />
          )}
        </Field>
        <WorkingHoursFields
          path="workingHours"
          hours={draft.workingHours}
          onChange={(workingHours) => set({ workingHours })}
        />
        <CommentField value={draft.comment} onChange={(comment) => set({ comment })} />
        <FormSummary check={check} refusal={save.error}>
          <StatusNote message={unchanged && t('errors.NOTHING_TO_CHANGE')} />
        </FormSummary>
        <SubmitRow label={t('changes.save')} busy={save.isPending} onCancel={() => onDone()} />
      </form>
    </FormCheckProvider>
  );
}

/** "Remove from the partnership" for one partner organisation (of more than two), with a reason. */
export function RemoveOrganisation({
  partnership,
  organisation,
}: {
  partnership: Partnership;
  organisation: Organisation;
}) {
  const { t } = useTranslation();
  const remove = useAction(partnership.id, (why: string) =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/organisations/{organisationId}/remove', {
        params: { path: { id: partnership.id, organisationId: organisation.id } },
        body: { reason: why },
      }),
    ),
  );
  const canChange = useCanChange(partnership);
  if (!canChange || partnership.organisations.length <= 2) return null;
  return (
    <TextActionDialog
      buttonLabel={t('changes.removeNamed', { name: organisation.name })}
      buttonClassName="button-inline danger"
      intro={t('changes.removeExplained')}
      label={t('partnership.reason')}
      required
      rows={3}
      danger
      submitLabel={t('changes.confirmRemove')}
      action={remove}
    />
  );
}
