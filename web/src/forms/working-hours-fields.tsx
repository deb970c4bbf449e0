import { useTranslation } from 'react-i18next';
import { FieldGroup, TextField, toggled } from './field';
import { WEEKDAYS } from './partnership-form';

export interface WorkingHoursDraft {
  start: string;
  end: string;
  days: number[];
}

/** A contact's working day (start, end) and working days, under `path` (`….workingHours`). */
export function WorkingHoursFields({
  path,
  hours,
  onChange,
}: {
  path: string;
  hours: WorkingHoursDraft;
  onChange: (hours: WorkingHoursDraft) => void;
}) {
  const { t } = useTranslation();
  const set = (patch: Partial<WorkingHoursDraft>): void => onChange({ ...hours, ...patch });
  return (
    <>
      <div className="field-row">
        <TextField
          path={`${path}.start`}
          label={t('create.workStart')}
          type="time"
          value={hours.start}
          onChange={(start) => set({ start })}
        />
        <TextField
          path={`${path}.end`}
          label={t('create.workEnd')}
          type="time"
          value={hours.end}
          onChange={(end) => set({ end })}
        />
      </div>
      <FieldGroup path={`${path}.days`} legend={t('create.workDays')} className="days">
        {(control) =>
          WEEKDAYS.map((d) => (
            <label key={d} className="checkbox">
              <input
                type="checkbox"
                {...control}
                checked={hours.days.includes(d)}
                onChange={(e) => set({ days: toggled(hours.days, d, e.target.checked) })}
              />
              {t(`days.${d}`)}
            </label>
          ))
        }
      </FieldGroup>
    </>
  );
}
