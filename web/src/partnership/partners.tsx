import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ProblemError } from '../auth/session';
import { LanguageOptions } from '../components/language-switcher';
import { countryName, formatTimeIn } from '../format';
import {
  Field,
  FieldGroup,
  FormCheckProvider,
  FormSummary,
  Options,
  TextField,
  useFormCheck,
} from '../forms/field';
import { StatusNote, SubmitRow } from '../forms/form-footer';
import { Combobox } from '../forms/combobox';
import { ExistingOrganisationPicker } from '../forms/organisation-picker';
import {
  deactivationBody,
  deactivationProblems,
  mustHandOver,
  emptyContactDraft,
  emptyPartnerDraft,
  newContactBody,
  newContactProblems,
  partnerBody,
  partnerProblems,
  type DeactivationDraft,
  type FirstContactDraft,
  type NewContactDraft,
  type NewPartnerDraft,
} from '../forms/partner-forms';
import {
  LIMITS,
  ORGANISATION_KINDS,
  PARTNERSHIP_ERROR_ALIASES,
  type OrganisationKind,
} from '../forms/partnership-form';
import { countryOptions } from '../forms/places';
import { TimeZonePicker } from '../forms/policy-fields';
import { WorkingHoursFields } from '../forms/working-hours-fields';
import { localeOf } from '../i18n';
import { LANGUAGES, type Language } from '../../../libs/domain/vocabulary';
import { CommentField, EditContact, RemoveOrganisation, useCanChange } from './changes';
import { Dialog } from './dialog';
import { TextActionDialog } from './text-dialog';
import { useAction } from './use-action';
import {
  allTasks,
  idempotencyKey,
  useApprovals,
  type Contact,
  type Organisation,
  type Partnership,
} from './use-partnership';

/**
 * The partner organisations and their contacts, each contact with their local time and hours; a
 * contact who no longer takes part is marked so. Coordinators who may change the partnership add
 * an organisation or a contact, deactivate a contact (a colleague takes over) or reactivate one.
 */
export function PartnersSection({ partnership }: { partnership: Partnership }) {
  const { t, i18n } = useTranslation();
  const now = new Date().toISOString();
  // A contact just deactivated or reactivated: their dialog goes with the button that opened it,
  // so focus goes to their row once the page shows the change (not to the document's body).
  const [changed, setChanged] = useState<{ contactId: string; active: boolean } | undefined>();
  useEffect(() => {
    if (!changed) return;
    const contact = partnership.organisations
      .flatMap((o) => o.contacts)
      .find((c) => c.id === changed.contactId);
    if (contact && contact.active !== changed.active) return;
    setChanged(undefined);
    if (contact) document.getElementById(contactRowId(contact.id))?.focus();
  }, [changed, partnership]);
  return (
    <section className="panel" aria-labelledby="partners-title">
      <h2 id="partners-title">{t('partnership.partners')}</h2>
      {partnership.organisations.map((o) => (
        <div key={o.id} className="partner">
          <h3>
            {o.name}{' '}
            <span className="muted">
              ({[o.region, countryName(o.country, i18n.language)].filter(Boolean).join(', ')})
            </span>
          </h3>
          <RemoveOrganisation partnership={partnership} organisation={o} />
          <ul>
            {o.contacts.map((c) => (
              <li
                key={c.id}
                id={contactRowId(c.id)}
                tabIndex={-1}
                className={c.active ? undefined : 'contact-inactive'}
              >
                <span className="contact-name">{c.name}</span>{' '}
                {!c.active && (
                  <span className="badge badge-inactive">{t('partners.inactive')}</span>
                )}{' '}
                <span className="muted">· {t(`languages.${c.language}`)}</span>
                <br />
                <span className="muted small">
                  {t('partnership.localTime', {
                    time: formatTimeIn(now, i18n.language, c.timeZone),
                    place: o.region ?? c.timeZone,
                  })}{' '}
                  ·{' '}
                  {t('partnership.workingHours', {
                    start: c.workingHours.start,
                    end: c.workingHours.end,
                  })}
                </span>{' '}
                <EditContact partnership={partnership} contact={c} />
                {c.active ? (
                  <DeactivateContact
                    partnership={partnership}
                    organisation={o}
                    contact={c}
                    onChanged={() => setChanged({ contactId: c.id, active: false })}
                  />
                ) : (
                  <ReactivateContact
                    partnership={partnership}
                    contact={c}
                    onChanged={() => setChanged({ contactId: c.id, active: true })}
                  />
                )}
              </li>
            ))}
          </ul>
          <AddContact partnership={partnership} organisation={o} />
        </div>
      ))}
      <AddPartnerOrganisation partnership={partnership} />
      {partnership.areas.length > 0 && (
        <>
          <h3>{t('partnership.areas')}</h3>
          <ul className="tags">
            {partnership.areas.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The DOM id of a contact's row in the Partners panel (focus goes there after a change). */
function contactRowId(contactId: string): string {
  return `partner-contact-${contactId}`;
}

/**
 * One Idempotency-Key per dialog, so a double submit or a retry after a lost answer adds once;
 * and what renews it after a refusal saying it already did a step with other content.
 */
function useIdempotencyKey(): [string, (error: unknown) => void] {
  const [key, setKey] = useState(idempotencyKey);
  const renew = (error: unknown): void => {
    if (error instanceof ProblemError && error.code === 'IDEMPOTENCY_KEY_REUSED') {
      setKey(idempotencyKey());
    }
  };
  return [key, renew];
}

/** "Add a partner organisation" (up to 20), and its dialog. */
export function AddPartnerOrganisation({ partnership }: { partnership: Partnership }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState<string | undefined>();
  const canChange = useCanChange(partnership);
  if (!canChange || partnership.organisations.length >= LIMITS.organisations) return null;
  return (
    <div className="partner-add">
      <button
        type="button"
        className="button-secondary"
        onClick={() => {
          setNote(undefined);
          setOpen(true);
        }}
      >
        {t('partners.addOrganisation')}
      </button>
      <StatusNote message={note} />
      <Dialog open={open} title={t('partners.addOrganisation')} onClose={() => setOpen(false)}>
        <PartnerForm
          partnership={partnership}
          onDone={(message) => {
            setNote(message);
            setOpen(false);
          }}
        />
      </Dialog>
    </div>
  );
}

function PartnerForm({
  partnership,
  onDone,
}: {
  partnership: Partnership;
  onDone: (message?: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const sourceName = useId();
  const [draft, setDraft] = useState<NewPartnerDraft>(emptyPartnerDraft);
  const partnerIds = useMemo(
    () => new Set(partnership.organisations.map((o) => o.id)),
    [partnership.organisations],
  );
  const problems = useMemo(() => partnerProblems(draft, partnerIds), [draft, partnerIds]);
  const check = useFormCheck(draft, problems, { idPrefix: 'add-partner' });
  const locale = localeOf(i18n.language);
  const countries = useMemo(() => countryOptions(locale), [locale]);
  const [key, renewKey] = useIdempotencyKey();
  const add = useAction(partnership.id, (body: ReturnType<typeof partnerBody>) =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/organisations', {
        params: { path: { id: partnership.id }, header: { 'idempotency-key': key } },
        body,
      }),
    ),
  );
  const set = (patch: Partial<NewPartnerDraft>): void => setDraft((d) => ({ ...d, ...patch }));
  const setContact = (patch: Partial<FirstContactDraft>): void =>
    setDraft((d) => ({ ...d, contacts: [{ ...d.contacts[0], ...patch }] }));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (add.isPending || !check.attempt()) return;
    const name = draft.source === 'existing' ? (draft.chosen?.name ?? '') : draft.name.trim();
    add.mutate(partnerBody(draft), {
      onSuccess: () => onDone(t('partners.organisationAdded', { name })),
      onError: (error) => {
        check.refused(error);
        renewKey(error);
      },
    });
  };
  const contact = draft.contacts[0];
  return (
    <FormCheckProvider value={check.context}>
      <form ref={check.formRef} onSubmit={submit} noValidate className="form-grid">
        <p className="help">{t('partners.addOrganisationHelp')}</p>
        <FieldGroup path="source" legend={t('create.source')} className="source-choice">
          {(control) =>
            (['new', 'existing'] as const).map((source) => (
              <label key={source} className="radio">
                <input
                  type="radio"
                  {...control}
                  name={sourceName}
                  value={source}
                  checked={draft.source === source}
                  onChange={() => set({ source })}
                />
                {t(source === 'new' ? 'create.newOrganisation' : 'create.existing')}
              </label>
            ))
          }
        </FieldGroup>
        {draft.source === 'existing' ? (
          <ExistingOrganisationPicker
            path="id"
            id={draft.id}
            chosen={draft.chosen}
            exclude={partnerIds}
            onChange={set}
          />
        ) : (
          <>
            <div className="field-row">
              <TextField
                path="name"
                label={t('create.orgName')}
                maxLength={200}
                value={draft.name}
                onChange={(name) => set({ name })}
              />
              <Field path="kind" label={t('create.kind')}>
                {(control) => (
                  <select
                    {...control}
                    value={draft.kind}
                    onChange={(e) => set({ kind: e.target.value as OrganisationKind | '' })}
                  >
                    <option value="">{t('forms.choose')}</option>
                    <Options values={ORGANISATION_KINDS} label={(k) => t(`create.kinds.${k}`)} />
                  </select>
                )}
              </Field>
            </div>
            <div className="field-row">
              <Field path="country" label={t('create.country')} help={t('create.countryHelp')}>
                {(control) => (
                  <Combobox
                    control={control}
                    value={draft.country}
                    onChange={(country) => set({ country: country.toUpperCase() })}
                    options={countries}
                    display={(c) => `${c.label} (${c.value})`}
                    listLabel={t('forms.countries')}
                  />
                )}
              </Field>
              <TextField
                path="region"
                label={t('create.region')}
                optional
                maxLength={200}
                value={draft.region}
                onChange={(region) => set({ region })}
              />
            </div>
            <FieldGroup
              path="contacts.0"
              legend={
                <>
                  {t('partners.firstContact')}{' '}
                  <span className="muted optional">({t('app.optional')})</span>
                </>
              }
              help={t('partners.firstContactHelp')}
              className="contact-fields"
            >
              {() => (
                <>
                  <div className="field-row">
                    <TextField
                      path="contacts.0.name"
                      label={t('create.contactName')}
                      maxLength={200}
                      value={contact.name}
                      onChange={(name) => setContact({ name })}
                    />
                    <TextField
                      path="contacts.0.email"
                      label={t('create.contactEmail')}
                      type="email"
                      maxLength={320}
                      value={contact.email}
                      onChange={(email) => setContact({ email })}
                    />
                  </div>
                  <LanguageField
                    path="contacts.0.language"
                    value={contact.language}
                    onChange={(language) => setContact({ language })}
                  />
                  <Field
                    path="contacts.0.timeZone"
                    label={t('create.timeZone')}
                    help={t('create.timeZoneHelp')}
                  >
                    {(control) => (
                      <TimeZonePicker
                        control={control}
                        value={contact.timeZone}
                        onChange={(timeZone) => setContact({ timeZone })}
                      />
                    )}
                  </Field>
                </>
              )}
            </FieldGroup>
          </>
        )}
        <CommentField value={draft.comment} onChange={(comment) => set({ comment })} />
        <FormSummary check={check} refusal={add.error} />
        <SubmitRow
          label={t('partners.confirmAddOrganisation')}
          busy={add.isPending}
          onCancel={() => onDone()}
        />
      </form>
    </FormCheckProvider>
  );
}

function LanguageField({
  path,
  value,
  onChange,
}: {
  path: string;
  value: Language | '';
  onChange: (language: Language | '') => void;
}) {
  const { t } = useTranslation();
  return (
    <Field path={path} label={t('create.contactLanguage')} help={t('create.contactLanguageHelp')}>
      {(control) => (
        <select
          {...control}
          value={value}
          onChange={(e) => onChange(e.target.value as Language | '')}
        >
          <option value="">{t('forms.choose')}</option>
          <LanguageOptions languages={LANGUAGES} />
        </select>
      )}
    </Field>
  );
}

/** "Add a contact" to one partner organisation, and its dialog. */
export function AddContact({
  partnership,
  organisation,
}: {
  partnership: Partnership;
  organisation: Organisation;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState<string | undefined>();
  const canChange = useCanChange(partnership);
  if (!canChange) return null;
  const title = t('partners.addContactTo', { name: organisation.name });
  return (
    <div className="partner-add">
      <button
        type="button"
        className="button-inline"
        aria-label={title}
        onClick={() => {
          setNote(undefined);
          setOpen(true);
        }}
      >
        {t('partners.addContact')}
      </button>
      <StatusNote message={note} />
      <Dialog open={open} title={title} onClose={() => setOpen(false)}>
        <ContactJoinForm
          partnership={partnership}
          organisation={organisation}
          onDone={(message) => {
            setNote(message);
            setOpen(false);
          }}
        />
      </Dialog>
    </div>
  );
}

function ContactJoinForm({
  partnership,
  organisation,
  onDone,
}: {
  partnership: Partnership;
  organisation: Organisation;
  onDone: (message?: string) => void;
}) {
  const { t } = useTranslation();
  // A colleague's zone first: people of one organisation mostly work in one place.
  const [draft, setDraft] = useState<NewContactDraft>(() =>
    emptyContactDraft(organisation.contacts.find((c) => c.active)?.timeZone ?? ''),
  );
  const emails = useMemo(
    () => new Set(organisation.contacts.map((c) => c.email.toLowerCase())),
    [organisation.contacts],
  );
  const problems = useMemo(() => newContactProblems(draft, emails), [draft, emails]);
  const check = useFormCheck(draft, problems, {
    idPrefix: `add-contact-${organisation.id}`,
    aliases: PARTNERSHIP_ERROR_ALIASES,
  });
  const [key, renewKey] = useIdempotencyKey();
  const add = useAction(partnership.id, (body: ReturnType<typeof newContactBody>) =>
    call(() =>
      api.POST('/api/v1/partnerships/{id}/organisations/{organisationId}/contacts', {
        params: {
          path: { id: partnership.id, organisationId: organisation.id },
          header: { 'idempotency-key': key },
        },
        body,
      }),
    ),
  );
  const set = (patch: Partial<NewContactDraft>): void => setDraft((d) => ({ ...d, ...patch }));
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (add.isPending || !check.attempt()) return;
    add.mutate(newContactBody(draft), {
      onSuccess: () => onDone(t('partners.contactAdded', { name: draft.name.trim() })),
      onError: (error) => {
        check.refused(error);
        renewKey(error);
      },
    });
  };
  return (
    <FormCheckProvider value={check.context}>
      <form ref={check.formRef} onSubmit={submit} noValidate className="form-grid">
        <p className="help">{t('partners.addContactHelp')}</p>
        <div className="field-row">
          <TextField
            path="name"
            label={t('create.contactName')}
            maxLength={200}
            value={draft.name}
            onChange={(name) => set({ name })}
          />
          <TextField
            path="email"
            label={t('create.contactEmail')}
            type="email"
            maxLength={320}
            value={draft.email}
            onChange={(email) => set({ email })}
          />
        </div>
        <div className="field-row">
          <TextField
            path="role"
            label={t('create.contactRole')}
            optional
            maxLength={200}
            value={draft.role}
            onChange={(role) => set({ role })}
          />
          <LanguageField
            path="language"
            value={draft.language}
            onChange={(language) => set({ language })}
          />
        </div>
        <Field path="timeZone" label={t('create.timeZone')} help={t('partners.timeZoneHelp')}>
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
        <FormSummary check={check} refusal={add.error} />
        <SubmitRow
          label={t('partners.confirmAddContact')}
          busy={add.isPending}
          onCancel={() => onDone()}
        />
      </form>
    </FormCheckProvider>
  );
}

/**
 * "Deactivate" for a contact who takes part and has a colleague who does too (the API never
 * deactivates an organisation's last one), and its dialog: why, and who takes over.
 */
export function DeactivateContact({
  partnership,
  organisation,
  contact,
  onChanged,
}: {
  partnership: Partnership;
  organisation: Organisation;
  contact: Contact;
  /** Called once the API has deactivated them (before the page reads the change). */
  onChanged?: () => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const canChange = useCanChange(partnership);
  const colleagues = organisation.contacts.filter((c) => c.active && c.id !== contact.id);
  if (!canChange || !contact.active || colleagues.length === 0) return null;
  const title = t('partners.deactivateNamed', { name: contact.name });
  return (
    <>
      <button
        type="button"
        className="button-inline danger"
        aria-label={title}
        onClick={() => setOpen(true)}
      >
        {t('partners.deactivate')}
      </button>
      <Dialog open={open} title={title} onClose={() => setOpen(false)}>
        <DeactivationForm
          partnership={partnership}
          contact={contact}
          colleagues={colleagues}
          onChanged={onChanged}
          onDone={() => setOpen(false)}
        />
      </Dialog>
    </>
  );
}

function DeactivationForm({
  partnership,
  contact,
  colleagues,
  onChanged,
  onDone,
}: {
  partnership: Partnership;
  contact: Contact;
  colleagues: Contact[];
  onChanged?: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const approvals = useApprovals(partnership.id);
  // What they leave behind: the requests they have still to answer, and their open tasks.
  const items = approvals.data?.items ?? [];
  const awaiting = items.filter(
    (a) => a.status === 'pending' && a.awaiting.includes(contact.id),
  ).length;
  // Those their organisation cannot answer without them need a colleague to take them over.
  const handOver = mustHandOver(items, contact.id);
  const openTasks = allTasks(partnership).filter(
    (x) => x.status === 'open' && x.assigneeContactId === contact.id,
  ).length;
  const [draft, setDraft] = useState<DeactivationDraft>({ reason: '', delegateTo: '' });
  const problems = useMemo(() => deactivationProblems(draft, handOver > 0), [draft, handOver]);
  const check = useFormCheck(draft, problems, { idPrefix: `deactivate-${contact.id}` });
  // onChanged is called here, not in mutate's onSuccess: by then the page has read the change,
  // this dialog is gone with the Deactivate button, and mutate's callbacks are never called.
  const deactivate = useAction(
    partnership.id,
    async (body: ReturnType<typeof deactivationBody>) => {
      const view = await call(() =>
        api.POST('/api/v1/partnerships/{id}/contacts/{contactId}/deactivate', {
          params: { path: { id: partnership.id, contactId: contact.id } },
          body,
        }),
      );
      onChanged?.();
      return view;
    },
  );
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (deactivate.isPending || !check.attempt()) return;
    deactivate.mutate(deactivationBody(draft), {
      onSuccess: onDone,
      onError: (error) => check.refused(error),
    });
  };
  const delegate = colleagues.find((c) => c.id === draft.delegateTo);
  const leftBehind = [
    awaiting > 0 && t('partners.awaiting', { count: awaiting }),
    awaiting > 0 &&
      (handOver > 0
        ? t('partners.mustTakeOver', { count: handOver })
        : t('partners.colleaguesAnswer')),
    openTasks > 0 && t('partners.openTasks', { count: openTasks }),
  ].filter(Boolean);
  return (
    <FormCheckProvider value={check.context}>
      <form ref={check.formRef} onSubmit={submit} noValidate className="form-grid">
        <p>{t('partners.deactivateExplained', { name: contact.name })}</p>
        {leftBehind.length > 0 && <p className="alert alert-warn">{leftBehind.join(' ')}</p>}
        <Field path="reason" label={t('partnership.reason')} help={t('partnership.reasonHelp')}>
          {(control) => (
            <textarea
              {...control}
              rows={3}
              maxLength={2000}
              value={draft.reason}
              onChange={(e) => setDraft((d) => ({ ...d, reason: e.target.value }))}
            />
          )}
        </Field>
        <Field
          path="delegateTo"
          label={t('partners.delegateTo')}
          help={
            delegate
              ? t('partners.delegateHelp', { name: delegate.name })
              : t('partners.noDelegateHelp')
          }
        >
          {(control) => (
            <select
              {...control}
              value={draft.delegateTo}
              onChange={(e) => setDraft((d) => ({ ...d, delegateTo: e.target.value }))}
            >
              <option value="">
                {handOver > 0 ? t('forms.choose') : t('partners.noDelegate')}
              </option>
              {colleagues.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FormSummary check={check} refusal={deactivate.error} />
        <SubmitRow
          danger
          label={t('partners.confirmDeactivate')}
          busy={deactivate.isPending}
          onCancel={onDone}
        />
      </form>
    </FormCheckProvider>
  );
}

/** "Reactivate" for a contact who no longer takes part, with an optional note. */
export function ReactivateContact({
  partnership,
  contact,
  onChanged,
}: {
  partnership: Partnership;
  contact: Contact;
  /** Called once the API has reactivated them (before the page reads the change). */
  onChanged?: () => void;
}) {
  const { t } = useTranslation();
  const reactivate = useAction(partnership.id, async (comment: string) => {
    const view = await call(() =>
      api.POST('/api/v1/partnerships/{id}/contacts/{contactId}/reactivate', {
        params: { path: { id: partnership.id, contactId: contact.id } },
        body: comment ? { comment } : {},
      }),
    );
    onChanged?.();
    return view;
  });
  const canChange = useCanChange(partnership);
  if (!canChange || contact.active) return null;
  return (
    <TextActionDialog
      buttonLabel={t('partners.reactivateNamed', { name: contact.name })}
      buttonClassName="button-inline"
      intro={t('partners.reactivateExplained', { name: contact.name })}
      label={t('changes.comment')}
      required={false}
      rows={2}
      submitLabel={t('partners.confirmReactivate')}
      action={reactivate}
    />
  );
}
