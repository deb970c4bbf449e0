import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageOptions } from '../components/language-switcher';
import { localeOf } from '../i18n';
import { Combobox } from './combobox';
import { Field, TextField, type ControlProps } from './field';
import { countryOptions, currentTimeZoneOptions } from './places';
import type { DurationDraft, DurationUnit, PolicyDraft, Switch } from './policy-form';
import { LANGUAGES, type Language } from '../../../libs/domain/vocabulary';

/**
 * The fields of a follow-up policy. `create`: every field may stay empty (the installation's
 * default; the API exposes no endpoint with the defaults, so none is shown as a number);
 * `edit`: every field has the partnership's current value.
 */
export function PolicyFields({
  draft,
  onChange,
  prefix,
  mode,
  withCoordinator,
}: {
  draft: PolicyDraft;
  onChange: (draft: PolicyDraft) => void;
  prefix: string;
  mode: 'create' | 'edit';
  withCoordinator: boolean;
}) {
  const { t } = useTranslation();
  const optional = mode === 'create';
  const set = <K extends keyof PolicyDraft>(part: K, patch: Partial<PolicyDraft[K]>): void =>
    onChange({ ...draft, [part]: { ...(draft[part] as object), ...patch } });
  const placeholder = optional ? t('policy.default') : undefined;

  return (
    <div className="policy-fields">
      <p className="help">{t('policy.workingTimeHelp')}</p>
      {optional && <p className="help">{t('policy.defaultHelp')}</p>}
      <fieldset>
        <legend>{t('policy.approvals')}</legend>
        <DurationField
          path={`${prefix}approvals.firstAfterWorkingMinutes`}
          label={t('policy.firstAfter')}
          value={draft.approvals.firstAfterWorkingMinutes}
          onChange={(v) => set('approvals', { firstAfterWorkingMinutes: v })}
          placeholder={placeholder}
        />
        <DurationField
          path={`${prefix}approvals.repeatEveryWorkingMinutes`}
          label={t('policy.repeatEvery')}
          value={draft.approvals.repeatEveryWorkingMinutes}
          onChange={(v) => set('approvals', { repeatEveryWorkingMinutes: v })}
          placeholder={placeholder}
        />
        <CountField
          path={`${prefix}approvals.maxReminders`}
          label={t('policy.maxReminders')}
          value={draft.approvals.maxReminders}
          onChange={(v) => set('approvals', { maxReminders: v })}
          max={20}
          placeholder={placeholder}
        />
        <SwitchField
          path={`${prefix}approvals.escalate`}
          label={t('policy.escalate')}
          value={draft.approvals.escalate}
          onChange={(v) => set('approvals', { escalate: v })}
          optional={optional}
        />
      </fieldset>
      <fieldset>
        <legend>{t('policy.overdueTasks')}</legend>
        <SwitchField
          path={`${prefix}overdueTasks.enabled`}
          label={t('policy.overdueEnabled')}
          value={draft.overdueTasks.enabled}
          onChange={(v) => set('overdueTasks', { enabled: v })}
          optional={optional}
        />
        <DurationField
          path={`${prefix}overdueTasks.repeatEveryWorkingMinutes`}
          label={t('policy.overdueEvery')}
          value={draft.overdueTasks.repeatEveryWorkingMinutes}
          onChange={(v) => set('overdueTasks', { repeatEveryWorkingMinutes: v })}
          placeholder={placeholder}
        />
        <CountField
          path={`${prefix}overdueTasks.maxReminders`}
          label={t('policy.maxReminders')}
          value={draft.overdueTasks.maxReminders}
          onChange={(v) => set('overdueTasks', { maxReminders: v })}
          max={20}
          placeholder={placeholder}
        />
      </fieldset>
      <fieldset>
        <legend>{t('policy.stalledStage')}</legend>
        <SwitchField
          path={`${prefix}stalledStage.enabled`}
          label={t('policy.stalledEnabled')}
          value={draft.stalledStage.enabled}
          onChange={(v) => set('stalledStage', { enabled: v })}
          optional={optional}
        />
        <CountField
          path={`${prefix}stalledStage.afterWorkingDays`}
          label={t('policy.stalledAfter')}
          value={draft.stalledStage.afterWorkingDays}
          onChange={(v) => set('stalledStage', { afterWorkingDays: v })}
          max={100}
          placeholder={placeholder}
        />
        <CountField
          path={`${prefix}stalledStage.maxReminders`}
          label={t('policy.maxReminders')}
          value={draft.stalledStage.maxReminders}
          onChange={(v) => set('stalledStage', { maxReminders: v })}
          max={20}
          placeholder={placeholder}
        />
      </fieldset>
      <fieldset>
        <legend>{t('policy.emails')}</legend>
        <SwitchField
          path={`${prefix}bilingualEmails`}
          label={t('policy.bilingual')}
          value={draft.bilingualEmails}
          onChange={(v) => onChange({ ...draft, bilingualEmails: v })}
          optional={optional}
        />
        {withCoordinator && (
          <CoordinatorFollowUpFields
            prefix={prefix}
            draft={draft}
            onChange={onChange}
            optional={optional}
          />
        )}
      </fieldset>
    </div>
  );
}

/** The coordinator's zone, e-mail language and where they work (part of the policy; the create
 * form shows them with the coordinator). */
export function CoordinatorFollowUpFields({
  prefix,
  draft,
  onChange,
  optional,
}: {
  prefix: string;
  draft: PolicyDraft;
  onChange: (draft: PolicyDraft) => void;
  optional: boolean;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const countries = useMemo(() => countryOptions(locale), [locale]);
  const set = (patch: Partial<PolicyDraft['coordinator']>): void =>
    onChange({ ...draft, coordinator: { ...draft.coordinator, ...patch } });
  return (
    <>
      <Field
        path={`${prefix}coordinator.timeZone`}
        label={t('policy.coordinatorZone')}
        help={t('policy.coordinatorZoneHelp')}
        optional={optional}
      >
        {(control) => (
          <TimeZonePicker
            control={control}
            value={draft.coordinator.timeZone}
            onChange={(timeZone) => set({ timeZone })}
          />
        )}
      </Field>
      <Field
        path={`${prefix}coordinator.language`}
        label={t('policy.coordinatorLanguage')}
        optional={optional}
      >
        {(control) => (
          <select
            {...control}
            value={draft.coordinator.language}
            onChange={(e) => set({ language: e.target.value as Language | '' })}
          >
            {optional && <option value="">{t('policy.default')}</option>}
            <LanguageOptions languages={LANGUAGES} />
          </select>
        )}
      </Field>
      <div className="field-row">
        <Field
          path={`${prefix}coordinator.country`}
          label={t('policy.coordinatorCountry')}
          help={t('policy.coordinatorCountryHelp')}
          optional
        >
          {(control) => (
            <Combobox
              control={control}
              value={draft.coordinator.country}
              onChange={(country) => set({ country: country.toUpperCase() })}
              options={countries}
              display={(c) => `${c.label} (${c.value})`}
              listLabel={t('forms.countries')}
            />
          )}
        </Field>
        <TextField
          path={`${prefix}coordinator.region`}
          label={t('policy.coordinatorRegion')}
          optional
          maxLength={200}
          value={draft.coordinator.region}
          onChange={(region) => set({ region })}
        />
      </div>
    </>
  );
}

/** IANA time zones, searchable by city, each with its offset and time now. */
export function TimeZonePicker({
  control,
  value,
  onChange,
}: {
  control: ControlProps;
  value: string;
  onChange: (zone: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const locale = localeOf(i18n.language);
  const options = useMemo(() => currentTimeZoneOptions(locale), [locale]);
  return (
    <Combobox
      control={control}
      value={value}
      onChange={onChange}
      options={options}
      listLabel={t('forms.timeZones')}
      placeholder={t('forms.timeZonePlaceholder')}
    />
  );
}

function DurationField({
  path,
  label,
  value,
  onChange,
  placeholder,
}: {
  path: string;
  label: string;
  value: DurationDraft;
  onChange: (value: DurationDraft) => void;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  return (
    <Field path={path} label={label}>
      {(control) => (
        <div className="duration">
          <input
            {...control}
            type="text"
            inputMode="decimal"
            className="input-number"
            placeholder={placeholder}
            value={value.amount}
            onChange={(e) => onChange({ ...value, amount: e.target.value })}
          />
          <select
            aria-label={t('policy.unitOf', { field: label })}
            value={value.unit}
            onChange={(e) => onChange({ ...value, unit: e.target.value as DurationUnit })}
          >
            <option value="hours">{t('policy.units.hours')}</option>
            <option value="minutes">{t('policy.units.minutes')}</option>
          </select>
        </div>
      )}
    </Field>
  );
}

function CountField({
  path,
  label,
  value,
  onChange,
  max,
  placeholder,
}: {
  path: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  max: number;
  placeholder?: string;
}) {
  return (
    <Field path={path} label={label}>
      {(control) => (
        <input
          {...control}
          type="number"
          min={1}
          max={max}
          step={1}
          className="input-number"
          placeholder={placeholder}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/** On / off; in the create form also "default" (left out of the body). */
function SwitchField({
  path,
  label,
  value,
  onChange,
  optional,
}: {
  path: string;
  label: string;
  value: Switch;
  onChange: (value: Switch) => void;
  optional: boolean;
}) {
  const { t } = useTranslation();
  if (!optional) {
    return (
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value === 'on'}
          onChange={(e) => onChange(e.target.checked ? 'on' : 'off')}
        />
        {label}
      </label>
    );
  }
  return (
    <Field path={path} label={label}>
      {(control) => (
        <select {...control} value={value} onChange={(e) => onChange(e.target.value as Switch)}>
          <option value="">{t('policy.default')}</option>
          <option value="on">{t('policy.on')}</option>
          <option value="off">{t('policy.off')}</option>
        </select>
      )}
    </Field>
  );
}
