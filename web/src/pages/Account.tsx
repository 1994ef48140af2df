import { useState, type FormEvent } from 'react';
import { useAuth } from '../auth/AuthContext';
import { errorText } from '../components/errors';
import { Field } from '../components/Field';
import { useI18n } from '../i18n';
import { api, ApiError } from '../services/api';

/** /account — deleting the account and every video of it, after typing the password again. */
export function Account() {
  const { t } = useI18n();
  const { signOut } = useAuth();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (deleting) {
      return;
    }
    if (password.length === 0) {
      setError(t.auth.passwordRequired);
      return;
    }
    setDeleting(true);
    setError(null);
    try {
      await api.deleteAccount(password);
      signOut(); // the account is gone: back to the login page
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'wrong_password' ? t.account.wrongPassword : errorText(err, t));
      setDeleting(false);
    }
  };

  return (
    <section className="card" aria-labelledby="account-title">
      <h1 id="account-title">{t.account.title}</h1>
      <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2>{t.account.deleteTitle}</h2>
        <p>{t.account.deleteExplained}</p>
        <Field id="account-password" label={t.account.password} error={error}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button" disabled={deleting}>
          {deleting ? t.account.deleting : t.account.confirm}
        </button>
      </form>
    </section>
  );
}
