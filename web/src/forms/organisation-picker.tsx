import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ProblemAlert } from '../components/problem';
import { htmlLang } from '../i18n';
import { Combobox } from './combobox';
import { Field } from './field';
import { WEEKDAYS, type ExistingOrganisation } from './partnership-form';
import type { PlaceOption } from './places';
import { useDebounced } from './use-debounced';

/** What the picker lists for an organisation: its name, with region and country beside it. */
function organisationOption(o: ExistingOrganisation): PlaceOption {
  const where = [o.region, o.country].filter(Boolean).join(', ');
  return { value: o.id, label: o.name, hint: where };
}

/**
 * An existing organisation, found by name among those the user may see (the server searches,
 * once typing pauses), then shown with its contacts, which the form does not change. `exclude`:
 * ids not to offer (the partners a partnership has already).
 */
export function ExistingOrganisationPicker({
  path,
  id,
  chosen,
  exclude,
  onChange,
}: {
  /** The field's path: where the API's refusal of the id lands. */
  path: string;
  id: string;
  chosen: ExistingOrganisation | null;
  exclude?: ReadonlySet<string>;
  onChange: (patch: { id: string; chosen: ExistingOrganisation | null }) => void;
}) {
  const { t } = useTranslation();
  // The text typed while no organisation is chosen (the combobox's value then).
  const [text, setText] = useState('');
  const q = useDebounced(text, 250);
  const found = useQuery({
    queryKey: ['organisations', q],
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/organisations', {
          params: { query: { pageSize: 20, ...(q ? { q } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const listed = (found.data?.items ?? []).filter((x) => !exclude?.has(x.id));
  // The chosen one stays a choice while another search runs, so the field keeps its name.
  const choices = chosen && !listed.some((x) => x.id === chosen.id) ? [chosen, ...listed] : listed;
  const pick = (value: string): void => {
    const picked = choices.find((x) => x.id === value);
    if (picked) {
      onChange({ id: picked.id, chosen: picked });
    } else {
      setText(value);
      if (id) onChange({ id: '', chosen: null });
    }
  };
  return (
    <>
      <Field path={path} label={t('create.chooseExisting')} help={t('create.existingHelp')}>
        {(control) => (
          <Combobox
            control={control}
            value={id || text}
            onChange={pick}
            options={choices.map(organisationOption)}
            listLabel={t('create.existingList')}
          />
        )}
      </Field>
      {found.error && <ProblemAlert error={found.error} />}
      {chosen && <ExistingContacts organisation={chosen} />}
    </>
  );
}

/** The chosen organisation's contacts, read-only: who will be asked and reminded, and when. */
function ExistingContacts({ organisation }: { organisation: ExistingOrganisation }) {
  const { t } = useTranslation();
  return (
    <div className="existing-contacts">
      <h3>{t('create.existingContacts')}</h3>
      {organisation.contacts.length === 0 ? (
        <p className="muted">{t('create.noContacts')}</p>
      ) : (
        <ul>
          {organisation.contacts.map((c) => {
            const days = c.workingHours.days
              .map((d) => t(`days.${d as (typeof WEEKDAYS)[number]}`))
              .join(' ');
            return (
              <li key={c.id}>
                <strong>{c.name}</strong> · {c.email}
                {c.role ? ` · ${c.role}` : ''} ·{' '}
                <span lang={htmlLang(c.language)}>{t(`languages.${c.language}`)}</span> ·{' '}
                {c.timeZone} · {c.workingHours.start}–{c.workingHours.end} {days}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
