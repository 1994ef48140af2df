import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { App } from './App';
import { AuthProvider } from './auth/AuthContext';
import { I18nProvider } from './i18n';
import { apiError, json, stubFetch } from './test/helpers';

function renderApp(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <I18nProvider>
        <AuthProvider>
          <App />
        </AuthProvider>
      </I18nProvider>
    </MemoryRouter>,
  );
}

describe('App', () => {
  it('sends a signed-out visitor to the log-in page', () => {
    renderApp('/library');
    expect(screen.getByRole('heading', { name: 'Connexion' })).toBeInTheDocument();
  });

  it('logs in, keeps the token for the session and goes where the user was going', async () => {
    stubFetch((url) =>
      url.endsWith('/login')
        ? json(200, { access_token: 'tok', token_type: 'bearer', expires_in: 3600 })
        : json(200, { videos: [], page: 0, size: 12, total: 0 }),
    );
    const user = userEvent.setup();
    renderApp('/library');

    await user.type(screen.getByLabelText('Adresse e-mail'), 'a@b.fr');
    await user.type(screen.getByLabelText('Mot de passe'), 'secret123');
    await user.click(screen.getByRole('button', { name: 'Se connecter' }));

    expect(await screen.findByRole('heading', { name: 'Bibliothèque' })).toBeInTheDocument();
    expect(sessionStorage.getItem('reetik.token')).toBe('tok');
  });

  it('shows a wrong password as such, not as an expired session', async () => {
    stubFetch(() => apiError(401, 'unauthorized', 'Wrong e-mail or password.'));
    const user = userEvent.setup();
    renderApp('/login');

    await user.type(screen.getByLabelText('Adresse e-mail'), 'a@b.fr');
    await user.type(screen.getByLabelText('Mot de passe'), 'wrong-password');
    await user.click(screen.getByRole('button', { name: 'Se connecter' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('E-mail ou mot de passe incorrect.');
    expect(screen.queryByTestId('session-expired')).not.toBeInTheDocument();
  });

  it('returns to the log-in page with a message when the token has expired', async () => {
    sessionStorage.setItem('reetik.token', 'expired-token');
    stubFetch(() => apiError(401, 'unauthorized', 'The token has expired.'));
    renderApp('/library');

    expect(await screen.findByTestId('session-expired')).toHaveTextContent(
      'Votre session a expiré. Veuillez vous reconnecter.',
    );
    expect(screen.getByRole('heading', { name: 'Connexion' })).toBeInTheDocument();
    expect(sessionStorage.getItem('reetik.token')).toBeNull();
  });

  it('switches the interface to English and remembers it', async () => {
    const user = userEvent.setup();
    renderApp('/login');
    expect(document.documentElement.lang).toBe('fr');

    await user.click(screen.getByRole('button', { name: 'EN' }));

    expect(screen.getByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'EN' })).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() => expect(document.documentElement.lang).toBe('en'));
    expect(localStorage.getItem('reetik.lang')).toBe('en');
  });
});
