import { useTranslation } from 'react-i18next';
import { Field } from './field';
import { TimeZonePicker } from './policy-fields';
import { addProblem, timeZoneProblem, type Problems } from './validation';

/** A user's weekly digest (docs/digest.md): their time zone ('' for the default) and on or off. */
export interface DigestDraft {
  timeZone: string;
  weeklyDigest: boolean;
}

export function digestDraft(user: { timeZone: string | null; weeklyDigest: boolean }): DigestDraft {
  return { timeZone: user.timeZone ?? '', weeklyDigest: user.weeklyDigest };
}

/** What the form refuses: a zone this browser (and so the API's Intl) does not know. */
export function addDigestProblems(out: Problems, draft: DigestDraft): void {
  if (draft.timeZone.trim()) addProblem(out, 'timeZone', timeZoneProblem(draft.timeZone));
}

/** The changes of a draft against the user as saved: nothing when it is the same. */
export function digestChanges(
  draft: DigestDraft,
  user: { timeZone: string | null; weeklyDigest: boolean },
): { timeZone?: string | null; weeklyDigest?: boolean } {
  const zone = draft.timeZone.trim() || null;
  return {
    ...(zone !== user.timeZone ? { timeZone: zone } : {}),
    ...(draft.weeklyDigest !== user.weeklyDigest ? { weeklyDigest: draft.weeklyDigest } : {}),
  };
}

/** The digest's time zone (optional: empty is the organisation's default) and its checkbox. */
export function DigestFields({
  draft,
  onChange,
}: {
  draft: DigestDraft;
  onChange: (draft: DigestDraft) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <Field path="timeZone" label={t('digest.timeZone')} help={t('digest.timeZoneHelp')} optional>
        {(control) => (
          <TimeZonePicker
            control={control}
            value={draft.timeZone}
            onChange={(timeZone) => onChange({ ...draft, timeZone })}
          />
        )}
      </Field>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.weeklyDigest}
          onChange={(e) => onChange({ ...draft, weeklyDigest: e.target.checked })}
        />
        {t('digest.weeklyDigest')}
      </label>
    </>
  );
}
