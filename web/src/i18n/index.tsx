import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { fr, type Messages } from './fr';

export type UiLanguage = 'fr' | 'en';
export type { Messages };

export const MESSAGES: Record<UiLanguage, Messages> = { fr, en };
const STORAGE_KEY = 'reetik.lang';

interface I18n {
  lang: UiLanguage;
  t: Messages;
  setLang: (lang: UiLanguage) => void;
}

const I18nContext = createContext<I18n | null>(null);

function storedLanguage(): UiLanguage {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
}

/** French by default; the choice is remembered in localStorage and mirrored on <html lang>. */
export function I18nProvider({ children, initialLang }: { children: ReactNode; initialLang?: UiLanguage }) {
  const [lang, setLangState] = useState<UiLanguage>(() => initialLang ?? storedLanguage());

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const setLang = useCallback((next: UiLanguage) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  }, []);

  const value = useMemo(() => ({ lang, t: MESSAGES[lang], setLang }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) {
    throw new Error('useI18n must be used inside <I18nProvider>');
  }
  return value;
}
