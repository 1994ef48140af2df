import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { errorText } from '../components/errors';
import { Field } from '../components/Field';
import { useI18n } from '../i18n';
import { api, ApiError } from '../services/api';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_PASSWORD = 8;

type Mode = 'login' | 'signup';
type FieldName = 'email' | 'password';

/** The log-in form (mode "login") and the sign-up form (mode "signup"). */
export function AuthPage({ mode }: { mode: Mode }) {
  const { t } = useI18n();
  const { token, notice, signIn } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  if (token) {
    return <Navigate to={from} replace />;
  }

  const validate = (): Partial<Record<FieldName, string>> => {
    const found: Partial<Record<FieldName, string>> = {};
    if (!EMAIL.test(email.trim())) {
      found.email = t.auth.invalidEmail;
    }
    if (password.length === 0) {
      found.password = t.auth.passwordRequired;
    } else if (mode === 'signup' && password.length < MIN_PASSWORD) {
      found.password = t.auth.passwordTooShort;
    }
    return found;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting) {
      return;
    }
    const found = validate();
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) {
      document.getElementById(`auth-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setSubmitting(true);
    try {
      const response =
        mode === 'login' ? await api.login(email.trim(), password) : await api.register(email.trim(), password);
      signIn(response);
      navigate(from, { replace: true });
    } catch (error) {
      setSubmitting(false);
      if (error instanceof ApiError && error.status === 401) {
        setFormError(t.auth.wrongCredentials);
      } else if (error instanceof ApiError && error.code === 'email_taken') {
        setErrors({ email: t.auth.emailTaken });
      } else if (error instanceof ApiError && (error.field === 'email' || error.field === 'password')) {
        setErrors({ [error.field]: error.message });
      } else {
        setFormError(errorText(error, t));
      }
    }
  };

  const title = mode === 'login' ? t.auth.loginTitle : t.auth.signupTitle;
  return (
    <section className="card card--narrow" aria-labelledby="auth-title">
      <h1 id="auth-title">{title}</h1>
      {mode === 'login' && notice === 'expired' && (
        <p className="notice" role="status" data-testid="session-expired">
          {t.auth.sessionExpired}
        </p>
      )}
      <form noValidate onSubmit={onSubmit} className="form">
        <Field id="auth-email" label={t.auth.email} error={errors.email}>
          {(control) => (
            <input
              {...control}
              type="email"
              name="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field
          id="auth-password"
          label={t.auth.password}
          hint={mode === 'signup' ? t.auth.passwordHint : undefined}
          error={errors.password}
        >
          {(control) => (
            <input
              {...control}
              type="password"
              name="password"
              autoComplete={mode === 'login' ? 'current-password' : 'new-password'}
              required
              minLength={mode === 'signup' ? MIN_PASSWORD : undefined}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        {formError && (
          <p className="form-error" role="alert" data-testid="form-error">
            {formError}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={submitting}>
          {submitting ? t.auth.submitting : mode === 'login' ? t.auth.loginSubmit : t.auth.signupSubmit}
        </button>
      </form>
      <p className="switch-auth">
        {mode === 'login' ? t.auth.noAccount : t.auth.haveAccount}{' '}
        <Link to={mode === 'login' ? '/signup' : '/login'} state={location.state}>
          {mode === 'login' ? t.auth.toSignup : t.auth.toLogin}
        </Link>
      </p>
    </section>
  );
}
