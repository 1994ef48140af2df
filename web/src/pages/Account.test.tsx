import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, callsTo, renderPage, stubFetch } from '../test/helpers';
import { Account } from './Account';

function renderAccount() {
  sessionStorage.setItem('reetik.token', 'tok');
  return renderPage(<Account />, { path: '/account', url: '/account' });
}

describe('Account', () => {
  it('says when the password is wrong, then deletes the account with the right one and signs out', async () => {
    let answers = 0;
    const fetch = stubFetch(() =>
      ++answers === 1
        ? apiError(403, 'wrong_password', 'The password is wrong; the account was not deleted.', 'password')
        : new Response(null, { status: 204 }),
    );
    const user = userEvent.setup();
    renderAccount();
    const confirm = screen.getByRole('button', { name: 'Supprimer mon compte et mes vidéos' });

    // Without a password nothing is sent
    await user.click(confirm);
    expect(screen.getByText('Saisissez votre mot de passe.')).toBeVisible();
    expect(callsTo(fetch)).toHaveLength(0);

    // A wrong one is refused by the server, and said so
    await user.type(screen.getByLabelText('Mot de passe'), 'wrong one');
    await user.click(confirm);
    expect(await screen.findByText('Mot de passe incorrect : le compte n’a pas été supprimé.')).toBeVisible();
    expect(sessionStorage.getItem('reetik.token')).toBe('tok');

    // The right one deletes the account: DELETE /api/account with the password, then the session ends
    await user.clear(screen.getByLabelText('Mot de passe'));
    await user.type(screen.getByLabelText('Mot de passe'), 'a long password');
    await user.click(confirm);
    await waitFor(() => expect(sessionStorage.getItem('reetik.token')).toBeNull());
    const [url, init] = callsTo(fetch).at(-1) as [string, RequestInit];
    expect(url).toBe('/api/account');
    expect(init.method).toBe('DELETE');
    expect(JSON.parse(init.body as string)).toEqual({ password: 'a long password' });
  });
});
