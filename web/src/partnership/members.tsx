import { useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, call, type components } from '../api/client';
import { useRefresh } from '../api/use-refresh';
import { useAccount } from '../components/layout';
import { ProblemAlert } from '../components/problem';
import { formatDate } from '../format';
import { Combobox, type ComboOption } from '../forms/combobox';
import { Field, FormCheckProvider, LabelField, Options, useFormCheck } from '../forms/field';
import { StatusNote, SubmitRow } from '../forms/form-footer';
import type { Problems } from '../forms/validation';
import { ConfirmDialog } from './dialog';
import { keys, type Partnership } from './use-partnership';

type Member = components['schemas']['MemberView'];
type MemberRole = Member['role'];
type User = components['schemas']['UserView'];

const ROLES: MemberRole[] = ['coordinator', 'observer'];

export function useMembers(partnershipId: string) {
  return useQuery({
    queryKey: keys.members(partnershipId),
    queryFn: () =>
      call(() =>
        api.GET('/api/v1/partnerships/{id}/members', { params: { path: { id: partnershipId } } }),
      ),
  });
}

/**
 * Whether the signed-in user may act on the partnership (what the API's `act` check allows):
 * administrators always, otherwise its coordinators; an observer account or an observing member
 * only reads.
 */
export function useCanAct(partnershipId: string): boolean {
  const user = useAccount();
  const members = useMembers(partnershipId);
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (user.role === 'observer') return false;
  return Boolean(members.data?.some((m) => m.userId === user.id && m.role === 'coordinator'));
}

/**
 * Who coordinates and who observes the partnership. Coordinators and administrators change a
 * member's role or remove them; only administrators add members, because choosing a user needs
 * the user list, which the API gives to administrators only.
 */
export function MembersSection({ partnership }: { partnership: Partnership }) {
  const { t, i18n } = useTranslation();
  const user = useAccount();
  const members = useMembers(partnership.id);
  const canAct = useCanAct(partnership.id);
  const isAdmin = user?.role === 'admin';
  const list = members.data ?? [];
  return (
    <section className="panel" aria-labelledby="members-title">
      <h2 id="members-title">{t('members.title')}</h2>
      {members.error ? <ProblemAlert error={members.error} /> : null}
      {members.isPending && <p className="muted">{t('app.loading')}</p>}
      {members.data && list.length === 0 && <p className="muted">{t('members.empty')}</p>}
      {list.length > 0 && (
        <ul className="member-list">
          {list.map((m) => (
            <MemberRow
              key={m.userId}
              partnership={partnership}
              member={m}
              isMe={m.userId === user?.id}
              canAct={canAct}
              language={i18n.language}
            />
          ))}
        </ul>
      )}
      {canAct && isAdmin && <AddMemberForm partnership={partnership} members={list} />}
      {canAct && !isAdmin && <p className="help">{t('members.addNeedsAdmin')}</p>}
    </section>
  );
}

function MemberRow({
  partnership,
  member: m,
  isMe,
  canAct,
  language,
}: {
  partnership: Partnership;
  member: Member;
  isMe: boolean;
  canAct: boolean;
  language: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const refresh = useRefresh(keys.members(partnership.id));
  const [confirming, setConfirming] = useState(false);
  const removeButton = useRef<HTMLButtonElement>(null);
  const id = partnership.id;
  const setRole = useMutation({
    mutationFn: (role: MemberRole) =>
      call(() =>
        api.PUT('/api/v1/partnerships/{id}/members/{userId}', {
          params: { path: { id, userId: m.userId } },
          body: { role },
        }),
      ),
    onSettled: () => refresh(),
  });
  const remove = useMutation({
    mutationFn: () =>
      call(() =>
        api.DELETE('/api/v1/partnerships/{id}/members/{userId}', {
          params: { path: { id, userId: m.userId } },
        }),
      ),
    onSuccess: () => {
      setConfirming(false);
      // Without membership the partnership is out of sight (unless an admin): back to the board.
      if (isMe) void navigate('/');
    },
    onSettled: () => refresh(),
  });
  const rowId = `member-${m.userId}`;
  return (
    <li className="member">
      <div className="member-main">
        <span id={`${rowId}-name`} className="member-name">
          {m.name}
          {isMe && <span className="muted"> ({t('members.you')})</span>}
        </span>
        <span className="muted small">{m.email}</span>
        {!canAct && <span className="badge">{t(`members.roles.${m.role}`)}</span>}
      </div>
      <p className="muted small">
        {t('members.addedOn', { date: formatDate(m.addedAt, language) })}
        {m.accountRole === 'observer' && <> · {t('members.observerAccount')}</>}
      </p>
      {canAct && (
        <div className="member-actions">
          <LabelField inline label={t('members.roleOf', { name: m.name })}>
            <select
              value={m.role}
              disabled={setRole.isPending}
              onChange={(e) => setRole.mutate(e.target.value as MemberRole)}
            >
              <Options
                values={ROLES}
                label={(r) => t(`members.roles.${r}`)}
                disabled={(r) => r === 'coordinator' && m.accountRole === 'observer'}
              />
            </select>
          </LabelField>
          <button
            ref={removeButton}
            type="button"
            className="button-danger"
            aria-describedby={`${rowId}-name`}
            onClick={() => {
              remove.reset();
              setConfirming(true);
            }}
          >
            {t('app.remove')}
          </button>
        </div>
      )}
      <ProblemAlert error={setRole.error} />
      <ConfirmDialog
        open={confirming}
        title={t('members.removeTitle', { name: m.name })}
        onClose={() => {
          setConfirming(false);
          removeButton.current?.focus();
        }}
        confirmLabel={t('members.confirmRemove')}
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
      >
        <p>{isMe ? t('members.removeSelf') : t('members.removeText', { name: m.name })}</p>
        <ProblemAlert error={remove.error} />
      </ConfirmDialog>
    </li>
  );
}

/** Every enabled user, for choosing (the API pages by 100 at most). */
function useAllUsers(enabled: boolean) {
  return useQuery({
    queryKey: ['users', 'all'],
    enabled,
    queryFn: async () => {
      const users: User[] = [];
      for (let page = 1; page <= 50; page++) {
        const result = await call(() =>
          api.GET('/api/v1/users', { params: { query: { page, pageSize: 100 } } }),
        );
        users.push(...result.items);
        if (page * result.pageSize >= result.total) break;
      }
      return users;
    },
  });
}

function AddMemberForm({ partnership, members }: { partnership: Partnership; members: Member[] }) {
  const { t } = useTranslation();
  const refresh = useRefresh(keys.members(partnership.id));
  const users = useAllUsers(true);
  const [draft, setDraft] = useState<{ userId: string; role: MemberRole }>({
    userId: '',
    role: 'observer',
  });
  const [added, setAdded] = useState<string>();
  const memberIds = new Set(members.map((m) => m.userId));
  const candidates = (users.data ?? []).filter((u) => !u.disabled && !memberIds.has(u.id));
  const options: ComboOption[] = candidates.map((u) => ({
    value: u.id,
    label: u.name,
    hint: `${u.email} · ${t(`users.roles.${u.role}`)}`,
    search: u.email,
  }));
  const chosen = candidates.find((u) => u.id === draft.userId);
  const problems: Problems = {};
  if (!chosen)
    problems.userId = [{ key: draft.userId ? 'validation.chooseUser' : 'validation.required' }];
  const check = useFormCheck(draft, problems, { idPrefix: 'add-member' });
  const add = useMutation({
    mutationFn: () =>
      call(() =>
        api.PUT('/api/v1/partnerships/{id}/members/{userId}', {
          params: { path: { id: partnership.id, userId: draft.userId } },
          body: { role: draft.role },
        }),
      ),
    onSuccess: (member) => {
      setAdded(t('members.added', { name: member.name, role: t(`members.roles.${member.role}`) }));
      setDraft({ userId: '', role: 'observer' });
      check.reset();
    },
    onError: (error) => check.refused(error),
    onSettled: () => refresh(),
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setAdded(undefined);
    if (!check.attempt() || add.isPending) return;
    add.mutate();
  };
  const observerOnly = chosen?.role === 'observer';
  return (
    <details className="add-member">
      <summary>{t('members.addMember')}</summary>
      <FormCheckProvider value={check.context}>
        <form ref={check.formRef} onSubmit={submit} noValidate className="form-grid">
          {users.error ? <ProblemAlert error={users.error} /> : null}
          <Field path="userId" label={t('members.user')} help={t('members.userHelp')}>
            {(control) => (
              <Combobox
                control={control}
                value={draft.userId}
                onChange={(userId) => {
                  const user = candidates.find((u) => u.id === userId);
                  setDraft((d) => ({
                    userId,
                    role: user?.role === 'observer' ? 'observer' : d.role,
                  }));
                }}
                options={options}
                display={(o) => `${o.label} <${o.search}>`}
                listLabel={t('members.users')}
              />
            )}
          </Field>
          <Field
            path="role"
            label={t('members.role')}
            help={observerOnly ? t('members.observerAccountHelp') : undefined}
          >
            {(control) => (
              <select
                {...control}
                value={draft.role}
                onChange={(e) => setDraft((d) => ({ ...d, role: e.target.value as MemberRole }))}
              >
                <Options
                  values={ROLES}
                  label={(r) => t(`members.roles.${r}`)}
                  disabled={(r) => r === 'coordinator' && observerOnly}
                />
              </select>
            )}
          </Field>
          <div ref={check.summaryRef} tabIndex={-1}>
            {add.error && !check.unplaced.length ? <ProblemAlert error={add.error} /> : null}
            {check.unplaced.length > 0 && (
              <div role="alert" className="alert alert-error">
                <p>{check.unplaced.join(' ')}</p>
              </div>
            )}
          </div>
          <StatusNote message={added} />
          <SubmitRow label={t('members.addMember')} busy={add.isPending} />
        </form>
      </FormCheckProvider>
    </details>
  );
}
