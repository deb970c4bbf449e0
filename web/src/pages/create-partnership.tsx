import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { ProblemError } from '../auth/session';
import { LanguageOptions } from '../components/language-switcher';
import { useAccount } from '../components/layout';
import { fieldErrors } from '../components/problem';
import { viewerZone } from '../format';
import { localeOf } from '../i18n';
import { isLanguage, LANGUAGES, type Language } from '../../../libs/domain/vocabulary';
import { Combobox } from '../forms/combobox';
import {
  Field,
  FieldGroup,
  fieldId,
  FormCheckProvider,
  FormSummary,
  GroupMessages,
  Options,
  TextField,
  useFormCheck,
} from '../forms/field';
import { SubmitRow } from '../forms/form-footer';
import {
  emptyContact,
  emptyOrganisation,
  emptyPartnership,
  LIMITS,
  missingOrganisationPaths,
  ORGANISATION_KINDS,
  PARTNERSHIP_ERROR_ALIASES,
  partnershipBody,
  partnershipProblems,
  type ContactDraft,
  type CreatePartnershipBody,
  type OrganisationDraft,
  type OrganisationKind,
  type PartnershipDraft,
} from '../forms/partnership-form';
import { countryOptions, type PlaceOption } from '../forms/places';
import { CoordinatorFollowUpFields, PolicyFields, TimeZonePicker } from '../forms/policy-fields';
import { ExistingOrganisationPicker } from '../forms/organisation-picker';
import { WorkingHoursFields } from '../forms/working-hours-fields';
import { idempotencyKey } from '../partnership/use-partnership';

const FORM = 'create';

/**
 * A new partnership: its partner organisations (new ones with their contacts, or existing ones
 * the user may see, chosen from GET /api/v1/organisations with their contacts as they are), the
 * areas, who coordinates, and the follow-up policy where it differs from the installation's
 * defaults. Checked here as the API checks it; what the API
 * still refuses shows on the field it names. One Idempotency-Key per form: a double submit or a
 * retry after a lost answer creates one partnership.
 */
export default function CreatePartnershipPage() {
  const { t, i18n } = useTranslation();
  const user = useAccount();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<PartnershipDraft>(() =>
    emptyPartnership({
      name: user?.name ?? '',
      email: user?.email ?? '',
      timeZone: viewerZone(),
      language: isLanguage(user?.language ?? i18n.language)
        ? ((user?.language ?? i18n.language) as Language)
        : '',
    }),
  );
  const [key, setKey] = useState(idempotencyKey);
  const [policyOpen, setPolicyOpen] = useState(false);
  const [focusPath, setFocusPath] = useState<string>();
  const addOrganisationRef = useRef<HTMLButtonElement>(null);
  const problems = useMemo(() => partnershipProblems(draft), [draft]);
  const check = useFormCheck(draft, problems, {
    idPrefix: FORM,
    aliases: PARTNERSHIP_ERROR_ALIASES,
  });
  const locale = localeOf(i18n.language);
  const countries = useMemo(() => countryOptions(locale), [locale]);

  const create = useMutation({
    mutationFn: (body: CreatePartnershipBody) =>
      call(() =>
        api.POST('/api/v1/partnerships', { body, params: { header: { 'idempotency-key': key } } }),
      ),
  });

  // Focus follows what was just added, so a keyboard user goes on typing there.
  useEffect(() => {
    if (!focusPath) return;
    document.getElementById(fieldId(FORM, focusPath))?.focus();
    setFocusPath(undefined);
  }, [focusPath]);

  if (user?.role === 'observer') {
    return (
      <section className="page" aria-labelledby="create-page-title">
        <h1 id="create-page-title">{t('create.title')}</h1>
        <div role="alert" className="alert alert-error">
          <p>{t('create.observersCannot')}</p>
        </div>
        <Link to="/">{t('app.backToBoard')}</Link>
      </section>
    );
  }

  const setOrganisation = (i: number, patch: Partial<OrganisationDraft>): void =>
    setDraft((d) => ({
      ...d,
      organisations: d.organisations.map((o, k) => (k === i ? { ...o, ...patch } : o)),
    }));
  const setContact = (i: number, j: number, patch: Partial<ContactDraft>): void =>
    setDraft((d) => ({
      ...d,
      organisations: d.organisations.map((o, k) =>
        k === i
          ? { ...o, contacts: o.contacts.map((c, l) => (l === j ? { ...c, ...patch } : c)) }
          : o,
      ),
    }));
  const addOrganisation = (): void => {
    setDraft((d) => ({ ...d, organisations: [...d.organisations, emptyOrganisation()] }));
    setFocusPath(`organisations.${draft.organisations.length}.name`);
  };
  const removeOrganisation = (i: number): void => {
    setDraft((d) => ({ ...d, organisations: d.organisations.filter((_, k) => k !== i) }));
    addOrganisationRef.current?.focus();
  };
  const addContact = (i: number): void => {
    setOrganisation(i, { contacts: [...draft.organisations[i].contacts, emptyContact()] });
    setFocusPath(`organisations.${i}.contacts.${draft.organisations[i].contacts.length}.name`);
  };
  const removeContact = (i: number, j: number): void => {
    setOrganisation(i, { contacts: draft.organisations[i].contacts.filter((_, l) => l !== j) });
    setFocusPath(`organisations.${i}.contacts.${Math.max(0, j - 1)}.name`);
  };

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (create.isPending) return;
    if (!check.attempt()) {
      if (Object.keys(problems).some(isPolicyDetail)) setPolicyOpen(true);
      return;
    }
    create.mutate(partnershipBody(draft), {
      onSuccess: (partnership) => {
        void queryClient.invalidateQueries({ queryKey: ['board'] });
        void navigate(`/partnerships/${partnership.id}`);
      },
      onError: (error) => {
        if (Object.keys(fieldErrors(error)).some(isPolicyDetail)) setPolicyOpen(true);
        if (error instanceof ProblemError && error.code === 'ORGANISATION_NOT_FOUND') {
          // No `errors` list, only the ids: the message goes on the picker of each one.
          const message = t('errors.ORGANISATION_NOT_FOUND');
          const errors = missingOrganisationPaths(draft, error.extra.missing).map((field) => ({
            field,
            messages: [message],
          }));
          check.refused(new ProblemError(error.status, error.code, error.detail, errors));
          return;
        }
        check.refused(error);
        // This form's key already made a partnership from other content: a new send is a new one.
        if (error instanceof ProblemError && error.code === 'IDEMPOTENCY_KEY_REUSED') {
          setKey(idempotencyKey());
        }
      },
    });
  };

  const setCoordinator = (patch: Partial<PartnershipDraft['coordinator']>): void =>
    setDraft((d) => ({ ...d, coordinator: { ...d.coordinator, ...patch } }));

  return (
    <section className="page create-page" aria-labelledby="create-page-title">
      <h1 id="create-page-title">{t('create.title')}</h1>
      <p className="muted">{t('create.intro')}</p>
      <FormCheckProvider value={check.context}>
        <form ref={check.formRef} onSubmit={submit} noValidate className="create-form">
          <div className="panel">
            <TextField
              path="title"
              label={t('create.name')}
              required
              maxLength={200}
              value={draft.title}
              onChange={(title) => setDraft((d) => ({ ...d, title }))}
            />
          </div>

          <section className="panel" aria-labelledby="create-organisations">
            <h2 id="create-organisations">{t('create.organisations')}</h2>
            <p className="help">{t('create.organisationsHelp')}</p>
            <GroupMessages path="organisations" />
            {draft.organisations.map((o, i) => (
              <OrganisationFields
                key={o.key}
                index={i}
                organisation={o}
                countries={countries}
                canRemove={draft.organisations.length > 2}
                onChange={(patch) => setOrganisation(i, patch)}
                onRemove={() => removeOrganisation(i)}
                onContact={(j, patch) => setContact(i, j, patch)}
                onAddContact={() => addContact(i)}
                onRemoveContact={(j) => removeContact(i, j)}
              />
            ))}
            {draft.organisations.length < LIMITS.organisations && (
              <button
                ref={addOrganisationRef}
                type="button"
                className="button-secondary"
                onClick={addOrganisation}
              >
                {t('create.addOrganisation')}
              </button>
            )}
          </section>

          <div className="panel">
            <Field path="areas" label={t('create.areas')} help={t('create.areasHelp')} optional>
              {(control) => (
                <textarea
                  {...control}
                  rows={4}
                  value={draft.areas}
                  onChange={(e) => setDraft((d) => ({ ...d, areas: e.target.value }))}
                />
              )}
            </Field>
          </div>

          <fieldset className="panel">
            <legend>{t('create.coordinator')}</legend>
            <p className="help">{t('create.coordinatorHelp')}</p>
            <div className="field-row">
              <TextField
                path="coordinator.name"
                label={t('create.coordinatorName')}
                autoComplete="name"
                maxLength={200}
                value={draft.coordinator.name}
                onChange={(name) => setCoordinator({ name })}
              />
              <TextField
                path="coordinator.email"
                label={t('create.coordinatorEmail')}
                type="email"
                autoComplete="email"
                maxLength={320}
                value={draft.coordinator.email}
                onChange={(email) => setCoordinator({ email })}
              />
            </div>
            <CoordinatorFollowUpFields
              prefix="followUpPolicy."
              draft={draft.followUpPolicy}
              onChange={(followUpPolicy) => setDraft((d) => ({ ...d, followUpPolicy }))}
              optional
            />
          </fieldset>

          <details
            className="panel policy-details"
            open={policyOpen}
            onToggle={(e) => setPolicyOpen(e.currentTarget.open)}
          >
            <summary>
              {t('create.policy')} <span className="muted">({t('app.optional')})</span>
            </summary>
            <PolicyFields
              draft={draft.followUpPolicy}
              onChange={(followUpPolicy) => setDraft((d) => ({ ...d, followUpPolicy }))}
              prefix="followUpPolicy."
              mode="create"
              withCoordinator={false}
            />
          </details>

          <FormSummary check={check} refusal={create.error} />
          <SubmitRow
            label={create.isPending ? t('create.submitting') : t('create.submit')}
            busy={create.isPending}
          >
            <Link to="/" className="button-link">
              {t('app.cancel')}
            </Link>
          </SubmitRow>
        </form>
      </FormCheckProvider>
    </section>
  );
}

/** Policy fields folded in the details (the coordinator's zone and language are shown apart). */
function isPolicyDetail(path: string): boolean {
  return path.startsWith('followUpPolicy.') && !path.startsWith('followUpPolicy.coordinator');
}

function OrganisationFields({
  index,
  organisation: o,
  countries,
  canRemove,
  onChange,
  onRemove,
  onContact,
  onAddContact,
  onRemoveContact,
}: {
  index: number;
  organisation: OrganisationDraft;
  countries: PlaceOption[];
  canRemove: boolean;
  onChange: (patch: Partial<OrganisationDraft>) => void;
  onRemove: () => void;
  onContact: (j: number, patch: Partial<ContactDraft>) => void;
  onAddContact: () => void;
  onRemoveContact: (j: number) => void;
}) {
  const { t } = useTranslation();
  const at = `organisations.${index}`;
  const shownName = o.source === 'existing' ? (o.chosen?.name ?? '') : o.name.trim();
  const legend = shownName
    ? t('create.organisationNamed', { n: index + 1, name: shownName })
    : t('create.organisation', { n: index + 1 });
  const remove = canRemove && (
    <button type="button" className="button-danger" onClick={onRemove}>
      {t('create.removeOrganisationNamed', { name: legend })}
    </button>
  );
  return (
    <fieldset className="organisation-fields">
      <legend>{legend}</legend>
      <GroupMessages path={at} />
      <FieldGroup path={`${at}.source`} legend={t('create.source')} className="source-choice">
        {(control) =>
          (['new', 'existing'] as const).map((source) => (
            <label key={source} className="radio">
              <input
                type="radio"
                {...control}
                name={`${o.key}-source`}
                value={source}
                checked={o.source === source}
                onChange={() => onChange({ source })}
              />
              {t(source === 'new' ? 'create.newOrganisation' : 'create.existing')}
            </label>
          ))
        }
      </FieldGroup>
      {o.source === 'existing' ? (
        <>
          <ExistingOrganisationPicker
            path={`${at}.id`}
            id={o.id}
            chosen={o.chosen}
            onChange={onChange}
          />
          {remove && <div className="button-row">{remove}</div>}
        </>
      ) : (
        <>
          <div className="field-row">
            <TextField
              path={`${at}.name`}
              label={t('create.orgName')}
              maxLength={200}
              value={o.name}
              onChange={(name) => onChange({ name })}
            />
            <Field path={`${at}.kind`} label={t('create.kind')}>
              {(control) => (
                <select
                  {...control}
                  value={o.kind}
                  onChange={(e) => onChange({ kind: e.target.value as OrganisationKind | '' })}
                >
                  <option value="">{t('forms.choose')}</option>
                  <Options values={ORGANISATION_KINDS} label={(k) => t(`create.kinds.${k}`)} />
                </select>
              )}
            </Field>
          </div>
          <div className="field-row">
            <Field
              path={`${at}.country`}
              label={t('create.country')}
              help={t('create.countryHelp')}
            >
              {(control) => (
                <Combobox
                  control={control}
                  value={o.country}
                  onChange={(country) => onChange({ country: country.toUpperCase() })}
                  options={countries}
                  display={(c) => `${c.label} (${c.value})`}
                  listLabel={t('forms.countries')}
                />
              )}
            </Field>
            <TextField
              path={`${at}.region`}
              label={t('create.region')}
              optional
              maxLength={200}
              value={o.region}
              onChange={(region) => onChange({ region })}
            />
          </div>
          <h3>{t('create.contacts')}</h3>
          <GroupMessages path={`${at}.contacts`} />
          {o.contacts.map((c, j) => (
            <ContactFields
              key={c.key}
              path={`${at}.contacts.${j}`}
              index={j}
              contact={c}
              canRemove={o.contacts.length > 1}
              onChange={(patch) => onContact(j, patch)}
              onRemove={() => onRemoveContact(j)}
            />
          ))}
          <div className="button-row">
            {o.contacts.length < LIMITS.contacts && (
              <button type="button" className="button-secondary" onClick={onAddContact}>
                {t('create.addContactTo', {
                  name: o.name.trim() || t('create.organisation', { n: index + 1 }),
                })}
              </button>
            )}
            {remove}
          </div>
        </>
      )}
    </fieldset>
  );
}

function ContactFields({
  path,
  index,
  contact: c,
  canRemove,
  onChange,
  onRemove,
}: {
  path: string;
  index: number;
  contact: ContactDraft;
  canRemove: boolean;
  onChange: (patch: Partial<ContactDraft>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const legend = c.name.trim()
    ? t('create.contactNamed', { n: index + 1, name: c.name.trim() })
    : t('create.contact', { n: index + 1 });
  return (
    <fieldset className="contact-fields">
      <legend>{legend}</legend>
      <GroupMessages path={path} />
      <div className="field-row">
        <TextField
          path={`${path}.name`}
          label={t('create.contactName')}
          maxLength={200}
          value={c.name}
          onChange={(name) => onChange({ name })}
        />
        <TextField
          path={`${path}.email`}
          label={t('create.contactEmail')}
          type="email"
          maxLength={320}
          value={c.email}
          onChange={(email) => onChange({ email })}
        />
      </div>
      <div className="field-row">
        <TextField
          path={`${path}.role`}
          label={t('create.contactRole')}
          optional
          maxLength={200}
          value={c.role}
          onChange={(role) => onChange({ role })}
        />
        <Field
          path={`${path}.language`}
          label={t('create.contactLanguage')}
          help={t('create.contactLanguageHelp')}
        >
          {(control) => (
            <select
              {...control}
              value={c.language}
              onChange={(e) => onChange({ language: e.target.value as Language | '' })}
            >
              <option value="">{t('forms.choose')}</option>
              <LanguageOptions languages={LANGUAGES} />
            </select>
          )}
        </Field>
      </div>
      <Field path={`${path}.timeZone`} label={t('create.timeZone')} help={t('create.timeZoneHelp')}>
        {(control) => (
          <TimeZonePicker
            control={control}
            value={c.timeZone}
            onChange={(timeZone) => onChange({ timeZone })}
          />
        )}
      </Field>
      <WorkingHoursFields
        path={`${path}.workingHours`}
        hours={c.workingHours}
        onChange={(workingHours) => onChange({ workingHours })}
      />
      {canRemove && (
        <button type="button" className="button-danger" onClick={onRemove}>
          {t('create.removeContactNamed', { name: legend })}
        </button>
      )}
    </fieldset>
  );
}
