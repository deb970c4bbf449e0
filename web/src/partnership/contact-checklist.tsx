import { zoneCity } from '../format';
import type { Partnership } from './use-partnership';

/**
 * The partnership's contacts who take part, each with their organisation: those to choose from
 * (a deactivated contact is asked and invited to nothing here).
 */
export function contactsOf(partnership: Partnership) {
  return partnership.organisations.flatMap((o) =>
    o.contacts.filter((c) => c.active).map((c) => ({ contact: c, organisation: o })),
  );
}

/** A checkbox per contact taking part ("Raquel (IVACE · Madrid)"), for choosing attendees. */
export function ContactChecklist({
  partnership,
  chosen,
  onToggle,
}: {
  partnership: Partnership;
  chosen: ReadonlySet<string>;
  onToggle: (contactId: string, on: boolean) => void;
}) {
  return (
    <>
      {contactsOf(partnership).map(({ contact: c, organisation: o }) => (
        <label key={c.id} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.has(c.id)}
            onChange={(e) => onToggle(c.id, e.target.checked)}
          />
          <span>
            {c.name}{' '}
            <span className="muted">
              ({o.name} · {zoneCity(c.timeZone)})
            </span>
          </span>
        </label>
      ))}
    </>
  );
}

/** A set's toggle, for a `useState<Set<string>>` setter. */
export function toggled(set: ReadonlySet<string>, id: string, on: boolean): Set<string> {
  const next = new Set(set);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}
