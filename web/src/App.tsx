import { Link, Navigate, Route, Routes } from 'react-router-dom';
import { Layout } from './components/Layout';
import { RequireAuth } from './components/RequireAuth';
import { useI18n } from './i18n';
import { Account } from './pages/Account';
import { AuthPage } from './pages/AuthPage';
import { CreateVideo } from './pages/CreateVideo';
import { GenerationProgress } from './pages/GenerationProgress';
import { Library } from './pages/Library';

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path="/login" element={<AuthPage key="login" mode="login" />} />
        <Route path="/signup" element={<AuthPage key="signup" mode="signup" />} />
        <Route path="/" element={<Navigate to="/create" replace />} />
        <Route
          path="/create"
          element={
            <RequireAuth>
              <CreateVideo />
            </RequireAuth>
          }
        />
        <Route
          path="/videos/:id"
          element={
            <RequireAuth>
              <GenerationProgress />
            </RequireAuth>
          }
        />
        <Route
          path="/library"
          element={
            <RequireAuth>
              <Library />
            </RequireAuth>
          }
        />
        <Route
          path="/account"
          element={
            <RequireAuth>
              <Account />
            </RequireAuth>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  const { t } = useI18n();
  return (
    <section className="card">
      <h1>{t.common.notFoundTitle}</h1>
      <Link to="/">{t.common.backHome}</Link>
    </section>
  );
}
