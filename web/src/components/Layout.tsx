import { Link, NavLink, Outlet } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';
import { useI18n, type UiLanguage } from '../i18n';

const LANGUAGES: UiLanguage[] = ['fr', 'en'];

export function Layout() {
  const { t, lang, setLang } = useI18n();
  const { token, signOut } = useAuth();
  return (
    <>
      <a className="skip-link" href="#main">
        {t.app.skipToContent}
      </a>
      <header className="header">
        <div className="header__inner">
          <Link to="/" className="brand">
            {t.app.name}
          </Link>
          <nav aria-label={t.app.mainNav} className="nav">
            {token ? (
              <>
                <NavLink to="/create">{t.nav.create}</NavLink>
                <NavLink to="/library">{t.nav.library}</NavLink>
                <NavLink to="/account">{t.nav.account}</NavLink>
                <button type="button" className="link-button" onClick={signOut}>
                  {t.nav.logout}
                </button>
              </>
            ) : (
              <>
                <NavLink to="/login">{t.nav.login}</NavLink>
                <NavLink to="/signup">{t.nav.signup}</NavLink>
              </>
            )}
          </nav>
          <div role="group" aria-label={t.app.interfaceLanguage} className="lang-switch">
            {LANGUAGES.map((code) => (
              <button
                key={code}
                type="button"
                lang={code}
                aria-pressed={lang === code}
                onClick={() => setLang(code)}
              >
                {code.toUpperCase()}
              </button>
            ))}
          </div>
        </div>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
