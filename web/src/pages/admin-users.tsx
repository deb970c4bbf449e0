import { useMemo, useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call, type components } from '../api/client';
import { ProblemError } from '../auth/session';
import { useAccount } from '../components/layout';
import { ProblemAlert } from '../components/problem';
import { formatDate, formatDateTime } from '../format';
import { isForbidden, NotAllowed, RequireAdmin } from '../forms/admin';
import { Field, FormCheckProvider, FormSummary, useFormCheck } from '../forms/field';
import { PagedTable } from '../forms/paged-list';
import { usePageParam } from '../forms/pager';
import {
  addProblem,
  emailProblem,
  passwordProblem,
  textProblem,
  type Problems,
} from '../forms/validation';
import { ConfirmDialog, Dialog } from '../partnership/dialog';

type User = components['schemas']['UserView'];
type Role = User['role'];
type UpdateUser = components['schemas']['UpdateUserDto'];

const ROLES: Role[] = ['admin', 'coordinator', 'observer'];
const PAGE_SIZE = 25;

/** A strong password to hand over: 20 characters from an unambiguous alphabet. */
function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  // 256 % 57 leaves a slight bias towards the first letters: immaterial at 20 characters.
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

/** Users: who may sign in, with which role; create, change role, disable, set a password. */
export default function UsersPage() {
  const { t } = useTranslation();
  return (
    <RequireAdmin title={t('users.title')}>
      <Users />
    </RequireAdmin>
  );
}

function Users() {
  const { t } = useTranslation();
  const [page, setPage] = usePageParam();
  const users = useQuery({
    queryKey: ['users', 'page', page],
    placeholderData: keepPreviousData,
    queryFn: () =>
      call(() => api.GET('/api/v1/users', { params: { query: { page, pageSize: PAGE_SIZE } } })),
  });
  if (isForbidden(users.error)) return <NotAllowed title={t('users.title')} />;
  return (
    <section className="page admin-page" aria-labelledby="users-title">
      <div className="page-head">
        <h1 id="users-title">{t('users.title')}</h1>
      </div>
      <CreateUserForm />
      <section className="panel" aria-labelledby="users-list-title">
        <h2 id="users-list-title">{t('users.list')}</h2>
        <PagedTable
          query={users}
          empty={t('users.empty')}
          pagerLabel={t('users.pages')}
          onPage={setPage}
          caption={t('users.list')}
          columns={[
            t('users.name'),
            t('users.email'),
            t('users.role'),
            t('users.status'),
            t('users.createdAt'),
            t('users.actions'),
          ]}
          row={(u) => <UserRow key={u.id} user={u} />}
        />
      </section>
    </section>
  );
}

function useRefreshUsers(): () => Promise<void> {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['users'] });
}

interface NewUser {
  name: string;
  email: string;
  role: Role;
  password: string;
}

const emptyUser = (): NewUser => ({ name: '', email: '', role: 'coordinator', password: '' });

function CreateUserForm() {
  const { t } = useTranslation();
  const refresh = useRefreshUsers();
  const [draft, setDraft] = useState<NewUser>(emptyUser);
  const [showPassword, setShowPassword] = useState(false);
  const [created, setCreated] = useState<string>();
  const problems = useMemo(() => {
    const out: Problems = {};
    addProblem(out, 'name', textProblem(draft.name, { max: 200 }));
    addProblem(out, 'email', emailProblem(draft.email));
    addProblem(out, 'password', passwordProblem(draft.password));
    return out;
  }, [draft]);
  const check = useFormCheck(draft, problems, { idPrefix: 'new-user' });
  const create = useMutation({
    mutationFn: (body: NewUser) => call(() => api.POST('/api/v1/users', { body })),
    onSuccess: (user) => {
      setCreated(t('users.created', { email: user.email }));
      setDraft(emptyUser());
      setShowPassword(false);
      check.reset();
    },
    onError: (error) => check.refused(error),
    onSettled: () => refresh(),
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setCreated(undefined);
    if (create.isPending || !check.attempt()) return;
    create.mutate({ ...draft, name: draft.name.trim(), email: draft.email.trim() });
  };
  const set = (patch: Partial<NewUser>): void => setDraft((d) => ({ ...d, ...patch }));
  const emailTaken = create.error instanceof ProblemError && create.error.code === 'EMAIL_TAKEN';
  const refusedForFields =
    create.error instanceof ProblemError && create.error.code === 'VALIDATION_FAILED';
  return (
    <section className="panel" aria-labelledby="new-user-title">
      <h2 id="new-user-title">{t('users.create')}</h2>
      <FormCheckProvider value={check.context}>
        <form ref={check.formRef} onSubmit={submit} noValidate>
          <div className="field-row">
            <Field path="name" label={t('users.name')}>
              {(control) => (
                <input
                  {...control}
                  type="text"
                  maxLength={200}
                  autoComplete="off"
                  value={draft.name}
                  onChange={(e) => set({ name: e.target.value })}
                />
              )}
            </Field>
            <Field path="email" label={t('users.email')}>
              {(control) => (
                <input
                  {...control}
                  type="email"
                  maxLength={320}
                  autoComplete="off"
                  value={draft.email}
                  onChange={(e) => set({ email: e.target.value })}
                />
              )}
            </Field>
            <Field path="role" label={t('users.role')} help={t('users.roleHelp')}>
              {(control) => (
                <select
                  {...control}
                  value={draft.role}
                  onChange={(e) => set({ role: e.target.value as Role })}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`users.roles.${r}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <Field path="password" label={t('users.password')} help={t('users.passwordHelp')}>
            {(control) => (
              <div className="password-row">
                <input
                  {...control}
                  type={showPassword ? 'text' : 'password'}
                  autoComplete="new-password"
                  maxLength={1024}
                  value={draft.password}
                  onChange={(e) => set({ password: e.target.value })}
                />
                <button
                  type="button"
                  className="button-secondary"
                  aria-pressed={showPassword}
                  onClick={() => setShowPassword((s) => !s)}
                >
                  {t('users.showPassword')}
                </button>
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => {
                    set({ password: generatePassword() });
                    setShowPassword(true);
                  }}
                >
                  {t('users.generatePassword')}
                </button>
              </div>
            )}
          </Field>
          <FormSummary
            summaryRef={check.summaryRef}
            show={
              (check.submitted && !check.valid) || check.unplaced.length > 0 || refusedForFields
            }
            title={t('create.fixErrors')}
            messages={check.unplaced}
            error={
              !refusedForFields && (
                <>
                  <ProblemAlert error={create.error} />
                  {emailTaken && <p className="help">{t('users.emailTakenHelp')}</p>}
                </>
              )
            }
          />
          {created && (
            <p role="status" className="alert alert-ok">
              {created}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="button-primary" disabled={create.isPending}>
              {t('users.create')}
            </button>
          </div>
        </form>
      </FormCheckProvider>
    </section>
  );
}

function UserRow({ user: u }: { user: User }) {
  const { t, i18n } = useTranslation();
  const me = useAccount();
  const refresh = useRefreshUsers();
  const [dialog, setDialog] = useState<'disable' | 'edit' | undefined>();
  const actionsRef = useRef<HTMLTableCellElement>(null);
  const isMe = me?.id === u.id;
  const update = useMutation({
    mutationFn: (body: UpdateUser) =>
      call(() => api.PATCH('/api/v1/users/{id}', { params: { path: { id: u.id } }, body })),
    onSuccess: () => setDialog(undefined),
    onSettled: () => refresh(),
  });
  const lastAdmin =
    update.error instanceof ProblemError && update.error.code === 'FORBIDDEN' && u.role === 'admin';
  const locked = u.lockedUntil !== null && new Date(u.lockedUntil).getTime() > Date.now();
  const nameId = `user-${u.id}-name`;
  const closeDialog = (): void => {
    setDialog(undefined);
    actionsRef.current?.querySelector<HTMLElement>('button')?.focus();
  };
  return (
    <tr>
      <td id={nameId}>
        {u.name}
        {isMe && <span className="muted"> ({t('members.you')})</span>}
      </td>
      <td>{u.email}</td>
      <td>
        <label className="visually-hidden" htmlFor={`user-${u.id}-role`}>
          {t('users.roleOf', { name: u.name })}
        </label>
        <select
          id={`user-${u.id}-role`}
          value={u.role}
          // Your own role and status are changed by another administrator: no locking yourself out.
          disabled={isMe || update.isPending}
          aria-describedby={isMe ? `user-${u.id}-self` : undefined}
          onChange={(e) => update.mutate({ role: e.target.value as Role })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`users.roles.${r}`)}
            </option>
          ))}
        </select>
        {isMe && (
          <p id={`user-${u.id}-self`} className="help">
            {t('users.selfHelp')}
          </p>
        )}
      </td>
      <td>
        <span className={`badge ${u.disabled ? 'badge-closed' : 'badge-ok'}`}>
          {u.disabled ? t('users.disabled') : t('users.enabled')}
        </span>
        {locked && u.lockedUntil && (
          <p className="small text-danger">
            {t('users.lockedUntil', { when: formatDateTime(u.lockedUntil, i18n.language) })}
          </p>
        )}
      </td>
      <td>{formatDate(u.createdAt, i18n.language)}</td>
      <td ref={actionsRef}>
        <div className="button-row tight">
          {u.disabled ? (
            <button
              type="button"
              className="button-secondary"
              aria-describedby={nameId}
              disabled={update.isPending}
              onClick={() => update.mutate({ disabled: false })}
            >
              {t('users.enable')}
            </button>
          ) : (
            <button
              type="button"
              className="button-danger"
              aria-describedby={nameId}
              disabled={isMe || update.isPending}
              onClick={() => {
                update.reset();
                setDialog('disable');
              }}
            >
              {t('users.disable')}
            </button>
          )}
          <button
            type="button"
            className="button-secondary"
            aria-describedby={nameId}
            onClick={() => {
              update.reset();
              setDialog('edit');
            }}
          >
            {t('app.edit')}
          </button>
        </div>
        {!dialog &&
          (lastAdmin ? (
            <div role="alert" className="alert alert-error">
              <p>{t('users.lastAdmin')}</p>
            </div>
          ) : (
            <ProblemAlert error={update.error} />
          ))}
        <ConfirmDialog
          open={dialog === 'disable'}
          title={t('users.disableTitle', { name: u.name })}
          onClose={closeDialog}
          confirmLabel={t('users.disable')}
          busy={update.isPending}
          onConfirm={() => update.mutate({ disabled: true })}
        >
          <p>{t('users.disableText', { name: u.name, email: u.email })}</p>
          {lastAdmin ? (
            <div role="alert" className="alert alert-error">
              <p>{t('users.lastAdmin')}</p>
            </div>
          ) : (
            <ProblemAlert error={update.error} />
          )}
        </ConfirmDialog>
        <Dialog
          open={dialog === 'edit'}
          title={t('users.editTitle', { name: u.name })}
          onClose={closeDialog}
        >
          <EditUserForm
            user={u}
            busy={update.isPending}
            error={update.error}
            onSave={(body, onError) => update.mutate(body, { onError })}
            onCancel={closeDialog}
          />
        </Dialog>
      </td>
    </tr>
  );
}

function EditUserForm({
  user,
  busy,
  error,
  onSave,
  onCancel,
}: {
  user: User;
  busy: boolean;
  error: unknown;
  onSave: (body: UpdateUser, onError: (error: unknown) => void) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState({ name: user.name, password: '' });
  const problems = useMemo(() => {
    const out: Problems = {};
    addProblem(out, 'name', textProblem(draft.name, { max: 200 }));
    addProblem(out, 'password', passwordProblem(draft.password, false));
    return out;
  }, [draft]);
  const check = useFormCheck(draft, problems, { idPrefix: `edit-user-${user.id}` });
  const [unchanged, setUnchanged] = useState(false);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setUnchanged(false);
    if (busy || !check.attempt()) return;
    const body: UpdateUser = {};
    if (draft.name.trim() !== user.name) body.name = draft.name.trim();
    if (draft.password) body.password = draft.password;
    if (Object.keys(body).length === 0) setUnchanged(true);
    else onSave(body, (refusal) => check.refused(refusal));
  };
  const refusedForFields = error instanceof ProblemError && error.code === 'VALIDATION_FAILED';
  return (
    <FormCheckProvider value={check.context}>
      <form ref={check.formRef} onSubmit={submit} noValidate>
        <Field path="name" label={t('users.name')}>
          {(control) => (
            <input
              {...control}
              type="text"
              maxLength={200}
              value={draft.name}
              onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))}
            />
          )}
        </Field>
        <Field
          path="password"
          label={t('users.newPassword')}
          help={t('users.newPasswordHelp')}
          optional
        >
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              maxLength={1024}
              value={draft.password}
              onChange={(e) => setDraft((d) => ({ ...d, password: e.target.value }))}
            />
          )}
        </Field>
        <FormSummary
          summaryRef={check.summaryRef}
          show={(check.submitted && !check.valid) || check.unplaced.length > 0 || refusedForFields}
          title={t('create.fixErrors')}
          messages={check.unplaced}
          error={
            <>
              {!refusedForFields && <ProblemAlert error={error} />}
              {unchanged && (
                <p role="status" className="alert alert-ok">
                  {t('errors.NOTHING_TO_CHANGE')}
                </p>
              )}
            </>
          }
        />
        <div className="button-row">
          <button type="submit" className="button-primary" disabled={busy}>
            {t('app.save')}
          </button>
          <button type="button" className="button-secondary" onClick={onCancel}>
            {t('app.cancel')}
          </button>
        </div>
      </form>
    </FormCheckProvider>
  );
}
