import { useMemo, useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { setCurrentUser, type Account } from '../auth/session';
import { useAccount } from '../components/layout';
import {
  addDigestProblems,
  digestChanges,
  digestDraft,
  DigestFields,
  type DigestDraft,
} from '../forms/digest-fields';
import { FormCheckProvider, FormSummary, useFormCheck } from '../forms/field';
import { StatusNote, SubmitRow } from '../forms/form-footer';
import type { Problems } from '../forms/validation';

/** The signed-in user's own settings: the weekly digest's time zone, and whether to get it. */
export default function AccountPage() {
  const { t } = useTranslation();
  const user = useAccount();
  return (
    <section className="page" aria-labelledby="account-title">
      <h1 id="account-title">{t('account.title')}</h1>
      {user && <DigestForm key={user.id} user={user} />}
    </section>
  );
}

function DigestForm({ user }: { user: Account }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<DigestDraft>(() => digestDraft(user));
  const [note, setNote] = useState<string>();
  const problems = useMemo(() => {
    const out: Problems = {};
    addDigestProblems(out, draft);
    return out;
  }, [draft]);
  const check = useFormCheck(draft, problems, { idPrefix: 'account' });
  const save = useMutation({
    mutationFn: (body: ReturnType<typeof digestChanges>) =>
      call(() => api.PATCH('/api/v1/me', { body })),
    onSuccess: (saved) => {
      setCurrentUser(saved);
      setNote(t('account.saved'));
    },
    onError: (refusal) => check.refused(refusal),
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setNote(undefined);
    if (save.isPending || !check.attempt()) return;
    const body = digestChanges(draft, user);
    if (Object.keys(body).length === 0) setNote(t('errors.NOTHING_TO_CHANGE'));
    else save.mutate(body);
  };
  return (
    <section className="panel" aria-labelledby="account-digest-title">
      <h2 id="account-digest-title">{t('digest.title')}</h2>
      <p className="muted">{t('digest.intro')}</p>
      <FormCheckProvider value={check.context}>
        <form ref={check.formRef} onSubmit={submit} noValidate>
          <DigestFields draft={draft} onChange={setDraft} />
          <FormSummary check={check} refusal={save.error}>
            <StatusNote message={note} />
          </FormSummary>
          <SubmitRow label={t('app.save')} busy={save.isPending} />
        </form>
      </FormCheckProvider>
    </section>
  );
}
