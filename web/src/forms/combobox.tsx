import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ControlProps } from './field';
import type { PlaceOption } from './places';
import { filterOptions, optionNamed } from './search';

export type ComboOption = PlaceOption;

const MAX_SHOWN = 200;

/**
 * A searchable list (the ARIA combobox pattern): type to filter, arrows to move, Enter to choose,
 * Escape to close. Focus stays in the text field; the active option is announced through
 * `aria-activedescendant`, and the number of matches through a polite live region. The value is
 * an option's `value`, or, while the text names none, the text itself (which the form's checks
 * then refuse), so typing an exact value works as well as choosing it.
 */
export function Combobox({
  control,
  value,
  onChange,
  options,
  listLabel,
  display = (o) => o.label,
  placeholder,
  autoComplete = 'off',
  required,
}: {
  control: ControlProps;
  value: string;
  onChange: (value: string) => void;
  options: ComboOption[];
  listLabel: string;
  display?: (o: ComboOption) => string;
  placeholder?: string;
  autoComplete?: string;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const listId = `${useId()}-list`;
  const textOf = (v: string): string => {
    const o = options.find((x) => x.value === v);
    return o ? display(o) : v;
  };
  const [text, setText] = useState(() => textOf(value));
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [seen, setSeen] = useState(value);
  const listRef = useRef<HTMLUListElement>(null);

  // A value set from outside (a reset, a default) shows in the text.
  if (value !== seen) {
    setSeen(value);
    const named = optionNamed(options, text, display);
    if ((named?.value ?? text) !== value) setText(textOf(value));
  }

  const selected = options.find((o) => o.value === value);
  // The whole list while the text is just the chosen option (to browse from it).
  const query = selected && text === display(selected) ? '' : text;
  const matches = useMemo(() => filterOptions(options, query), [options, query]);
  const shown = matches.slice(0, MAX_SHOWN);

  useEffect(() => {
    if (!open || active < 0) return;
    const el = listRef.current?.children[active] as HTMLElement | undefined;
    el?.scrollIntoView?.({ block: 'nearest' });
  }, [open, active]);

  const type = (next: string): void => {
    setText(next);
    setOpen(true);
    setActive(-1);
    const named = optionNamed(options, next, display);
    const v = named ? named.value : next.trim();
    setSeen(v);
    onChange(v);
  };

  const choose = (o: ComboOption): void => {
    setText(display(o));
    setSeen(o.value);
    onChange(o.value);
    setOpen(false);
    setActive(-1);
  };

  const openAt = (): void => {
    setOpen(true);
    const i = shown.findIndex((o) => o.value === value);
    setActive(i >= 0 ? i : 0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (!open || e.altKey) openAt();
        else setActive((i) => Math.min(i + 1, shown.length - 1));
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (open) setActive((i) => Math.max(i - 1, 0));
        else openAt();
        break;
      case 'PageDown':
        if (open) {
          e.preventDefault();
          setActive((i) => Math.min(i + 10, shown.length - 1));
        }
        break;
      case 'PageUp':
        if (open) {
          e.preventDefault();
          setActive((i) => Math.max(i - 10, 0));
        }
        break;
      case 'Enter':
        if (open && active >= 0 && shown[active]) {
          e.preventDefault();
          choose(shown[active]);
        }
        break;
      case 'Escape':
        if (open) {
          // Closes the list only, not a dialog around it.
          e.preventDefault();
          e.stopPropagation();
          setOpen(false);
          setActive(-1);
        }
        break;
      case 'Tab':
        setOpen(false);
        break;
    }
  };

  const optionId = (i: number): string => `${listId}-${i}`;
  const expanded = open && shown.length > 0;

  return (
    <div className="combobox">
      <input
        {...control}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        autoComplete={autoComplete}
        spellCheck={false}
        required={required}
        placeholder={placeholder}
        value={text}
        onChange={(e) => type(e.target.value)}
        onKeyDown={onKeyDown}
        onClick={() => (open ? setOpen(false) : openAt())}
        onBlur={() => {
          setOpen(false);
          const named = optionNamed(options, text, display);
          if (named) setText(display(named));
        }}
      />
      <ul
        ref={listRef}
        id={listId}
        role="listbox"
        aria-label={listLabel}
        className="combobox-list"
        hidden={!expanded}
      >
        {expanded &&
          shown.map((o, i) => (
            <li
              key={o.value}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={`combobox-option${i === active ? ' is-active' : ''}${
                o.value === value ? ' is-chosen' : ''
              }`}
              // Keeps focus in the text field, so the click chooses instead of blurring away.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(o)}
            >
              <span>{o.label}</span>
              {o.hint && <span className="muted small"> {o.hint}</span>}
            </li>
          ))}
      </ul>
      <span className="visually-hidden" aria-live="polite">
        {open
          ? matches.length > MAX_SHOWN
            ? t('forms.manyMatches', { total: matches.length, shown: MAX_SHOWN })
            : t('forms.matches', { count: matches.length })
          : ''}
      </span>
    </div>
  );
}
