import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call, type components } from '../api/client';
import { useRefresh } from '../api/use-refresh';
import { ProblemError } from '../auth/session';
import { useAccount } from '../components/layout';
import { ProblemAlert } from '../components/problem';
import { formatDate, formatDateTime } from '../format';
import { adminPage, AdminPageFrame, useAdminList } from '../forms/admin';
import {
  addDigestProblems,
  digestChanges,
  digestDraft,
  DigestFields,
} from '../forms/digest-fields';
import {
  Field,
  FormCheckProvider,
  FormSummary,
  Options,
  TextField,
  useFormCheck,
} from '../forms/field';
import { StatusNote, SubmitRow } from '../forms/form-footer';
import { PagedTable } from '../forms/paged-list';
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

function Users() {
  const { t } = useTranslation();
  const { query: users, setPage } = useAdminList(['users', 'page'], (page) =>
    call(() => api.GET('/api/v1/users', { params: { query: { page, pageSize: PAGE_SIZE } } })),
  );
  return (
    <AdminPageFrame id="users" title={t('users.title')} error={users.error}>
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
    </AdminPageFrame>
  );
}

/** Users: who may sign in, with which role; create, change role, disable, set a password. */
export default adminPage('users.title', Users);

interface NewUser {
  name: string;
  email: string;
  role: Role;
  password: string;
}

const emptyUser = (): NewUser => ({ name: '', email: '', role: 'coordinator', password: '' });

function CreateUserForm() {
  const { t } = useTranslation();
  const refresh = useRefresh(['users']);
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
  return (
    <section className="panel" aria-labelledby="new-user-title">
      <h2 id="new-user-title">{t('users.create')}</h2>
      <FormCheckProvider value={check.context}>
        <form ref={check.formRef} onSubmit={submit} noValidate>
          <div className="field-row">
            <TextField
              path="name"
              label={t('users.name')}
              maxLength={200}
              autoComplete="off"
              value={draft.name}
              onChange={(name) => set({ name })}
            />
            <TextField
              path="email"
              label={t('users.email')}
              type="email"
              maxLength={320}
              autoComplete="off"
              value={draft.email}
              onChange={(email) => set({ email })}
            />
            <Field path="role" label={t('users.role')} help={t('users.roleHelp')}>
              {(control) => (
                <select
                  {...control}
                  value={draft.role}
                  onChange={(e) => set({ role: e.target.value as Role })}
                >
                  <Options values={ROLES} label={(r) => t(`users.roles.${r}`)} />
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
          <FormSummary check={check} refusal={create.error}>
            {emailTaken && <p className="help">{t('users.emailTakenHelp')}</p>}
          </FormSummary>
          <StatusNote message={created} />
          <SubmitRow label={t('users.create')} busy={create.isPending} />
        </form>
      </FormCheckProvider>
    </section>
  );
}

function UserRow({ user: u }: { user: User }) {
  const { t, i18n } = useTranslation();
  const me = useAccount();
  const refresh = useRefresh(['users']);
  const [dialog, setDialog] = useState<'disable' | 'edit' | 'revoke-tokens' | undefined>();
  const [revokedNote, setRevokedNote] = useState<string>();
  const actionsRef = useRef<HTMLTableCellElement>(null);
  const isMe = me?.id === u.id;
  const update = useMutation({
    mutationFn: (body: UpdateUser) =>
      call(() => api.PATCH('/api/v1/users/{id}', { params: { path: { id: u.id } }, body })),
    onSuccess: () => setDialog(undefined),
    onSettled: () => refresh(),
  });
  const revokeTokens = useMutation({
    mutationFn: () =>
      call(() => api.DELETE('/api/v1/users/{id}/api-tokens', { params: { path: { id: u.id } } })),
    onSuccess: ({ revoked }) => {
      setDialog(undefined);
      setRevokedNote(t('users.apiTokensRevoked', { count: revoked }));
    },
  });
  const lastAdmin =
    update.error instanceof ProblemError && update.error.code === 'FORBIDDEN' && u.role === 'admin';
  // The last administrator stays one: said in words, where the refusal would otherwise show.
  const refusal = lastAdmin ? (
    <div role="alert" className="alert alert-error">
      <p>{t('users.lastAdmin')}</p>
    </div>
  ) : (
    <ProblemAlert error={update.error} />
  );
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
          <Options values={ROLES} label={(r) => t(`users.roles.${r}`)} />
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
          <button
            type="button"
            className="button-secondary"
            aria-describedby={nameId}
            disabled={revokeTokens.isPending}
            onClick={() => {
              revokeTokens.reset();
              setRevokedNote(undefined);
              setDialog('revoke-tokens');
            }}
          >
            {t('users.revokeApiTokens')}
          </button>
        </div>
        {!dialog && refusal}
        {!dialog && <ProblemAlert error={revokeTokens.error} />}
        <StatusNote message={revokedNote} />
        <ConfirmDialog
          open={dialog === 'revoke-tokens'}
          title={t('users.revokeApiTokensTitle', { name: u.name })}
          onClose={closeDialog}
          confirmLabel={t('users.revokeApiTokens')}
          busy={revokeTokens.isPending}
          onConfirm={() => revokeTokens.mutate()}
        >
          <p>{t('users.revokeApiTokensText', { name: u.name, email: u.email })}</p>
          <ProblemAlert error={revokeTokens.error} />
        </ConfirmDialog>
        <ConfirmDialog
          open={dialog === 'disable'}
          title={t('users.disableTitle', { name: u.name })}
          onClose={closeDialog}
          confirmLabel={t('users.disable')}
          busy={update.isPending}
          onConfirm={() => update.mutate({ disabled: true })}
        >
          <p>{t('users.disableText', { name: u.name, email: u.email })}</p>
          {refusal}
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
  const [draft, setDraft] = useState({ name: user.name, password: '', ...digestDraft(user) });
  const problems = useMemo(() => {
    const out: Problems = {};
    addProblem(out, 'name', textProblem(draft.name, { max: 200 }));
    addProblem(out, 'password', passwordProblem(draft.password, false));
    addDigestProblems(out, draft);
    return out;
  }, [draft]);
  const check = useFormCheck(draft, problems, { idPrefix: `edit-user-${user.id}` });
  const [unchanged, setUnchanged] = useState(false);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setUnchanged(false);
    if (busy || !check.attempt()) return;
    const body: UpdateUser = { ...digestChanges(draft, user) };
    if (draft.name.trim() !== user.name) body.name = draft.name.trim();
    if (draft.password) body.password = draft.password;
    if (Object.keys(body).length === 0) setUnchanged(true);
    else onSave(body, (refusal) => check.refused(refusal));
  };
  return (
    <FormCheckProvider value={check.context}>
      <form ref={check.formRef} onSubmit={submit} noValidate>
        <TextField
          path="name"
          label={t('users.name')}
          maxLength={200}
          value={draft.name}
          onChange={(name) => setDraft((d) => ({ ...d, name }))}
        />
        <TextField
          path="password"
          label={t('users.newPassword')}
          help={t('users.newPasswordHelp')}
          optional
          type="password"
          autoComplete="new-password"
          maxLength={1024}
          value={draft.password}
          onChange={(password) => setDraft((d) => ({ ...d, password }))}
        />
        <DigestFields draft={draft} onChange={(digest) => setDraft((d) => ({ ...d, ...digest }))} />
        <FormSummary check={check} refusal={error}>
          <StatusNote message={unchanged && t('errors.NOTHING_TO_CHANGE')} />
        </FormSummary>
        <SubmitRow label={t('app.save')} busy={busy} onCancel={onCancel} />
      </form>
    </FormCheckProvider>
  );
}
