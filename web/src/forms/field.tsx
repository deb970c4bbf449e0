import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type RefObject,
} from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../auth/session';
import { fieldErrors, ProblemAlert } from '../components/problem';
import {
  placeServerErrors,
  standingServerMessages,
  type Problem,
  type Problems,
  type ServerProblem,
} from './validation';

/** What a field needs from its form: its messages now, and a way to say it is shown. */
interface FormCheckContext {
  idPrefix: string;
  messagesFor(path: string): string[];
  register(path: string): () => void;
}

const FormCheck = createContext<FormCheckContext>({
  idPrefix: 'f',
  messagesFor: () => [],
  register: () => () => undefined,
});

export function FormCheckProvider({
  value,
  children,
}: {
  value: FormCheckContext;
  children: ReactNode;
}) {
  return <FormCheck.Provider value={value}>{children}</FormCheck.Provider>;
}

/** A DOM id from a field path, unique per form. */
export function fieldId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/**
 * A form's checking: the client's problems show once the user has tried to send (then live, as
 * they fix them); the API's field errors land on the field they name, or its closest shown
 * ancestor, and stay until that value changes. After each attempt focus goes to the first field
 * in error, else to the summary.
 */
export function useFormCheck<S>(
  state: S,
  problems: Problems,
  options: { idPrefix: string; aliases?: Record<string, string> },
) {
  const { t } = useTranslation();
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<ServerProblem[]>([]);
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [focusTick, setFocusTick] = useState(0);
  const shown = useRef(new Map<string, number>());
  const formRef = useRef<HTMLFormElement>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const { idPrefix, aliases } = options;

  const register = useCallback((path: string) => {
    shown.current.set(path, (shown.current.get(path) ?? 0) + 1);
    return () => {
      const n = (shown.current.get(path) ?? 1) - 1;
      if (n <= 0) shown.current.delete(path);
      else shown.current.set(path, n);
    };
  }, []);

  const translate = useCallback((p: Problem): string => t(p.key, p.values ?? {}) as string, [t]);

  const messagesFor = useCallback(
    (path: string): string[] => [
      ...(submitted ? (problems[path] ?? []).map(translate) : []),
      ...standingServerMessages(server, path, state).map(
        (reason) => t('validation.serverRejected', { reason }) as string,
      ),
    ],
    [submitted, problems, server, state, translate, t],
  );

  const context = useMemo(
    () => ({ idPrefix, messagesFor, register }),
    [idPrefix, messagesFor, register],
  );

  useEffect(() => {
    if (focusTick === 0) return;
    const invalid = formRef.current?.querySelector<HTMLElement>(
      '[aria-invalid="true"], [data-invalid="true"]',
    );
    (invalid ?? summaryRef.current)?.focus();
  }, [focusTick]);

  const valid = Object.keys(problems).length === 0;

  return {
    context,
    formRef: formRef as RefObject<HTMLFormElement>,
    summaryRef: summaryRef as RefObject<HTMLDivElement>,
    /** Whether the client's problems are showing (the user tried to send). */
    submitted,
    valid,
    /** Messages no field shows (the API's `(body)` and the like). */
    unplaced,
    /** Call on submit: true when the form may be sent; else its problems show. */
    attempt(): boolean {
      setSubmitted(true);
      setServer([]);
      setUnplaced([]);
      if (!valid) setFocusTick((n) => n + 1);
      return valid;
    },
    /** Call with the API's refusal: its field errors go to their fields. */
    refused(error: unknown): void {
      const { placed, unplaced: rest } = placeServerErrors(
        fieldErrors(error),
        (path) => shown.current.has(path),
        state,
        aliases,
      );
      setServer(placed);
      setUnplaced(rest);
      if (placed.length > 0 || rest.length > 0) setFocusTick((n) => n + 1);
    },
    reset(): void {
      setSubmitted(false);
      setServer([]);
      setUnplaced([]);
    },
  };
}

/** The props a control gets from its Field: its id, error state and descriptions. */
export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** The field's id, messages and description ids; registers the path as shown. */
export function useField(path: string, hasHelp: boolean) {
  const { idPrefix, messagesFor, register } = useContext(FormCheck);
  useEffect(() => register(path), [register, path]);
  const id = fieldId(idPrefix, path);
  const messages = messagesFor(path);
  const describedBy = [hasHelp ? `${id}-help` : '', messages.length ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  const control: ControlProps = {
    id,
    'aria-invalid': messages.length > 0 ? true : undefined,
    'aria-describedby': describedBy || undefined,
  };
  return { id, messages, control };
}

export function FieldMessages({ id, messages }: { id: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <p id={id} className="field-error">
      {messages.join(' ')}
    </p>
  );
}

/**
 * A labelled control with its help and its messages, wired by id: the label names it, the help
 * and the messages describe it, `aria-invalid` marks it while a message stands.
 */
export function Field({
  path,
  label,
  help,
  optional,
  className,
  children,
}: {
  path: string;
  label: ReactNode;
  help?: ReactNode;
  optional?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const { t } = useTranslation();
  const { id, messages, control } = useField(path, Boolean(help));
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className="label-text">
        {label}
        {optional && <span className="muted optional"> ({t('app.optional')})</span>}
      </label>
      {children(control)}
      {help && (
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      )}
      <FieldMessages id={`${id}-error`} messages={messages} />
    </div>
  );
}

/** What a text-like `<input>` of a Field may set besides its value. */
type TextInputProps = Pick<
  InputHTMLAttributes<HTMLInputElement>,
  'type' | 'inputMode' | 'autoComplete' | 'required' | 'maxLength' | 'placeholder' | 'min' | 'max'
>;

/** A Field whose control is one text-like `<input>`: text unless `type` says e-mail, URL, time…. */
export function TextField({
  path,
  label,
  help,
  optional,
  type = 'text',
  value,
  onChange,
  ...input
}: TextInputProps & {
  path: string;
  label: ReactNode;
  help?: ReactNode;
  optional?: boolean;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field path={path} label={label} help={help} optional={optional}>
      {(control) => (
        <input
          {...control}
          type={type}
          {...input}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

/**
 * A control inside its label, for the short forms the browser checks on its own (no
 * useFormCheck): `inline` sets label and control side by side.
 */
export function LabelField({
  label,
  inline,
  children,
}: {
  label: ReactNode;
  inline?: boolean;
  children: ReactNode;
}) {
  return (
    <label className={inline ? 'field inline' : 'field'}>
      <span className="label-text">{label}</span>
      {children}
    </label>
  );
}

/**
 * A group of controls under one legend (working days, events): its messages describe the group,
 * and each control in it carries `aria-invalid` so focus can find the first one.
 */
export function FieldGroup({
  path,
  legend,
  help,
  className,
  children,
}: {
  path: string;
  legend: ReactNode;
  help?: ReactNode;
  className?: string;
  children: (control: Omit<ControlProps, 'id'>) => ReactNode;
}) {
  const { id, messages, control } = useField(path, Boolean(help));
  return (
    <fieldset id={id} className={className} aria-describedby={control['aria-describedby']}>
      <legend>{legend}</legend>
      {help && (
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      )}
      {children({
        'aria-invalid': control['aria-invalid'],
        'aria-describedby': messages.length ? `${id}-error` : undefined,
      })}
      <FieldMessages id={`${id}-error`} messages={messages} />
    </fieldset>
  );
}

/** A checkbox group's choice after one box changed: `item` added when `checked`, else removed. */
export function toggled<T>(list: readonly T[], item: T, checked: boolean): T[] {
  return checked ? [...list, item] : list.filter((x) => x !== item);
}

/**
 * One `<option>` per value, named by `label`; `disabled` marks the values not to be chosen now.
 */
export function Options<T extends string>({
  values,
  label,
  disabled,
}: {
  values: readonly T[];
  label: (value: T) => string;
  disabled?: (value: T) => boolean;
}) {
  return values.map((v) => (
    <option key={v} value={v} disabled={disabled?.(v)}>
      {label(v)}
    </option>
  ));
}

/** Messages of a part of the form that is no single control (an organisation, the list). */
export function GroupMessages({ path }: { path: string }) {
  const { id, messages } = useField(path, false);
  if (messages.length === 0) return null;
  // Focusable and marked, so focus lands here when this is the first problem of the form.
  return (
    <p id={`${id}-error`} className="field-error" tabIndex={-1} data-invalid="true">
      {messages.join(' ')}
    </p>
  );
}

/** What a form's summary reads from its `useFormCheck`. */
interface SummaryCheck {
  summaryRef: RefObject<HTMLDivElement>;
  submitted: boolean;
  valid: boolean;
  unplaced: string[];
}

/**
 * The form's summary after a refused attempt: announced, and where focus lands when no single
 * field is to blame. The API's refusal shows as an alert, unless it is a VALIDATION_FAILED
 * whose field errors already stand on their fields; `children` follow it (a hint, a status).
 */
export function FormSummary({
  check,
  refusal,
  children,
}: {
  check: SummaryCheck;
  refusal: unknown;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const refusedForFields = refusal instanceof ProblemError && refusal.code === 'VALIDATION_FAILED';
  const show = (check.submitted && !check.valid) || check.unplaced.length > 0 || refusedForFields;
  return (
    <div ref={check.summaryRef} tabIndex={-1} className="form-summary">
      {show && (
        <div role="alert" className="alert alert-error">
          <p>{t('create.fixErrors')}</p>
          {check.unplaced.length > 0 && (
            <ul>
              {check.unplaced.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {!refusedForFields && <ProblemAlert error={refusal} />}
      {children}
    </div>
  );
}
