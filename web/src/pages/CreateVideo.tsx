import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { errorText } from '../components/errors';
import { Field } from '../components/Field';
import { formatCost } from '../components/format';
import { useI18n, type Messages } from '../i18n';
import {
  api,
  ApiError,
  ASPECT_RATIOS,
  LANGUAGES,
  STYLES,
  type AspectRatio,
  type Estimate,
  type Style,
  type VideoLanguage,
  type VideoRequest,
} from '../services/api';

// The gateway's rules (VideoRequests), mirrored so most mistakes never reach it.
export const THEME_MIN = 3;
export const THEME_MAX = 500;
export const DURATION_MIN = 8;
export const DURATION_MAX = 180;
export const DEFAULT_DURATION = 36;

type FieldName = keyof VideoRequest;
type FieldErrors = Partial<Record<FieldName, string>>;
const FIELDS: FieldName[] = ['theme', 'target_duration', 'style', 'language', 'aspect_ratio', 'subtitles', 'transition'];

interface FormValues {
  theme: string;
  duration: string;
  style: Style;
  language: VideoLanguage;
  aspectRatio: AspectRatio;
  burnSubtitles: boolean;
  crossfade: boolean;
}

const fieldId = (field: FieldName) => `video-${field.replace('_', '-')}`;

function validate(values: FormValues, t: Messages): { request: VideoRequest | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const theme = values.theme.trim();
  const themeLength = [...theme].length; // code points, like the server
  if (themeLength < THEME_MIN || themeLength > THEME_MAX) {
    errors.theme = t.create.themeLength;
  }
  const duration = Number(values.duration);
  if (values.duration.trim() === '' || !Number.isInteger(duration) || duration < DURATION_MIN || duration > DURATION_MAX) {
    errors.target_duration = t.create.durationRange;
  }
  if (Object.keys(errors).length > 0) {
    return { request: null, errors };
  }
  return {
    request: {
      theme,
      target_duration: duration,
      style: values.style,
      language: values.language,
      aspect_ratio: values.aspectRatio,
      subtitles: values.burnSubtitles ? 'burned' : 'none',
      transition: values.crossfade ? 'fade' : 'cut',
    },
    errors,
  };
}

function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') {
    return crypto.randomUUID();
  }
  // randomUUID needs a secure context (https or localhost); build a version-4 UUID by hand otherwise.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

type EstimateState =
  | { kind: 'incomplete' }
  | { kind: 'loading' }
  | { kind: 'ready'; estimate: Estimate }
  | { kind: 'unavailable' };

export function CreateVideo({ estimateDelayMs = 400 }: { estimateDelayMs?: number }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [values, setValues] = useState<FormValues>({
    theme: '',
    duration: String(DEFAULT_DURATION),
    style: 'informative',
    language: 'fr',
    aspectRatio: '9:16',
    burnSubtitles: false,
    crossfade: false,
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [estimate, setEstimate] = useState<EstimateState>({ kind: 'incomplete' });
  const submittingRef = useRef(false);
  const idempotencyKey = useRef<string | null>(null);

  // "Make another like this": /create?like=<video_id> starts from that video's settings.
  const [params] = useSearchParams();
  const like = params.get('like');
  useEffect(() => {
    if (!like) {
      return undefined;
    }
    const controller = new AbortController();
    api
      .getVideo(like, controller.signal)
      .then((video) => {
        const r = video.request;
        setValues((v) => ({
          ...v,
          theme: r.theme,
          duration: String(r.target_duration),
          style: r.style,
          language: r.language,
          aspectRatio: r.aspect_ratio,
          burnSubtitles: r.subtitles === 'burned',
          crossfade: r.transition === 'fade',
        }));
      })
      .catch(() => {
        // an unknown or deleted video: the form keeps its defaults
      });
    return () => controller.abort();
  }, [like]);

  // The estimate follows the fields, debounced; only valid requests are sent.
  const { request } = validate(values, t);
  const requestKey = request ? JSON.stringify(request) : null;
  useEffect(() => {
    if (!requestKey) {
      setEstimate({ kind: 'incomplete' });
      return undefined;
    }
    const controller = new AbortController();
    setEstimate({ kind: 'loading' });
    const timer = setTimeout(() => {
      api
        .estimate(JSON.parse(requestKey) as VideoRequest, controller.signal)
        .then((result) => setEstimate({ kind: 'ready', estimate: result }))
        .catch((error: unknown) => {
          if (controller.signal.aborted) {
            return;
          }
          setEstimate({ kind: 'unavailable' });
          if (error instanceof ApiError && error.status === 400 && isField(error.field)) {
            setErrors((current) => ({ ...current, [error.field as FieldName]: error.message }));
          }
        });
    }, estimateDelayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [requestKey, estimateDelayMs]);

  const update = <K extends keyof FormValues>(key: K, value: FormValues[K], field: FieldName) => {
    setValues((current) => ({ ...current, [key]: value }));
    idempotencyKey.current = null; // a different request: a new key
    if (errors[field]) {
      setErrors((current) => ({ ...current, [field]: undefined }));
    }
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (submittingRef.current) {
      return; // a double click: the first attempt is still in flight
    }
    const checked = validate(values, t);
    setErrors(checked.errors);
    setFormError(null);
    if (!checked.request) {
      const first = FIELDS.find((field) => checked.errors[field]);
      if (first) {
        document.getElementById(fieldId(first))?.focus();
      }
      return;
    }
    submittingRef.current = true;
    setSubmitting(true);
    // The same key until the request changes: re-sending after a lost answer cannot create a second video.
    idempotencyKey.current ??= newIdempotencyKey();
    try {
      const accepted = await api.createVideo(checked.request, idempotencyKey.current);
      navigate(`/videos/${encodeURIComponent(accepted.video_id)}`);
    } catch (error) {
      if (error instanceof ApiError && isField(error.field)) {
        setErrors({ [error.field]: error.message });
        document.getElementById(fieldId(error.field))?.focus();
      } else {
        setFormError(errorText(error, t));
      }
      if (error instanceof ApiError && error.status < 500) {
        idempotencyKey.current = null; // refused: the next attempt is a new request
      }
    } finally {
      submittingRef.current = false;
      setSubmitting(false);
    }
  };

  return (
    <section className="card" aria-labelledby="create-title">
      <h1 id="create-title">{t.create.title}</h1>
      <p className="muted">{t.create.intro}</p>
      <form noValidate onSubmit={onSubmit} className="form">
        <Field id={fieldId('theme')} label={t.create.theme} hint={t.create.themeHint} error={errors.theme}>
          {(control) => (
            <textarea
              {...control}
              name="theme"
              rows={3}
              required
              value={values.theme}
              onChange={(e) => update('theme', e.target.value, 'theme')}
            />
          )}
        </Field>
        <div className="form-row">
          <Field
            id={fieldId('target_duration')}
            label={t.create.duration}
            hint={t.create.durationHint}
            error={errors.target_duration}
          >
            {(control) => (
              <input
                {...control}
                type="number"
                name="target_duration"
                inputMode="numeric"
                min={DURATION_MIN}
                max={DURATION_MAX}
                step={1}
                required
                value={values.duration}
                onChange={(e) => update('duration', e.target.value, 'target_duration')}
              />
            )}
          </Field>
          <Field id={fieldId('style')} label={t.create.style} error={errors.style}>
            {(control) => (
              <select
                {...control}
                name="style"
                value={values.style}
                onChange={(e) => update('style', e.target.value as Style, 'style')}
              >
                {STYLES.map((style) => (
                  <option key={style} value={style}>
                    {t.create.styles[style]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={fieldId('language')} label={t.create.language} error={errors.language}>
            {(control) => (
              <select
                {...control}
                name="language"
                value={values.language}
                onChange={(e) => update('language', e.target.value as VideoLanguage, 'language')}
              >
                {LANGUAGES.map((code) => (
                  <option key={code} value={code}>
                    {t.create.languages[code]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id={fieldId('aspect_ratio')} label={t.create.aspectRatio} error={errors.aspect_ratio}>
            {(control) => (
              <select
                {...control}
                name="aspect_ratio"
                value={values.aspectRatio}
                onChange={(e) => update('aspectRatio', e.target.value as AspectRatio, 'aspect_ratio')}
              >
                {ASPECT_RATIOS.map((ratio) => (
                  <option key={ratio} value={ratio}>
                    {t.create.aspectRatios[ratio]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="field field--checkbox">
            <label htmlFor={fieldId('subtitles')}>
              <input
                id={fieldId('subtitles')}
                type="checkbox"
                name="subtitles"
                checked={values.burnSubtitles}
                onChange={(e) => update('burnSubtitles', e.target.checked, 'subtitles')}
              />{' '}
              {t.create.burnSubtitles}
            </label>
            <p className="field__hint">{t.create.burnSubtitlesHint}</p>
            {errors.subtitles && (
              <p className="field__error" role="alert">
                {errors.subtitles}
              </p>
            )}
          </div>
          <div className="field field--checkbox">
            <label htmlFor={fieldId('transition')}>
              <input
                id={fieldId('transition')}
                type="checkbox"
                name="transition"
                checked={values.crossfade}
                onChange={(e) => update('crossfade', e.target.checked, 'transition')}
              />{' '}
              {t.create.crossfade}
            </label>
            <p className="field__hint">{t.create.crossfadeHint}</p>
            {errors.transition && (
              <p className="field__error" role="alert">
                {errors.transition}
              </p>
            )}
          </div>
        </div>

        <EstimatePanel state={estimate} t={t} />

        {formError && (
          <p className="form-error" role="alert" data-testid="form-error">
            {formError}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={submitting}>
          {submitting ? t.create.submitting : t.create.submit}
        </button>
      </form>
    </section>
  );
}

function isField(field: string | undefined): field is FieldName {
  return field !== undefined && (FIELDS as string[]).includes(field);
}

function EstimatePanel({ state, t }: { state: EstimateState; t: Messages }) {
  let body;
  switch (state.kind) {
    case 'incomplete':
      body = <p className="muted">{t.create.estimateIncomplete}</p>;
      break;
    case 'loading':
      body = <p className="muted">{t.create.estimating}</p>;
      break;
    case 'unavailable':
      body = <p className="muted">{t.create.estimateUnavailable}</p>;
      break;
    case 'ready': {
      const e = state.estimate;
      body = (
        <ul className="estimate__list">
          <li data-testid="estimate-blocks">{t.create.estimateBlocks(e.blocks, e.block_seconds)}</li>
          <li>{t.create.estimateGenerated(t.format.duration(e.generated_seconds))}</li>
          <li data-testid="estimate-time">
            {e.estimated_seconds === null
              ? t.create.estimateTimeUnknown
              : t.create.estimateTime(t.format.duration(e.estimated_seconds))}
          </li>
          {e.reencoded_assembly && <li data-testid="estimate-reencoded">{t.create.estimateReencoded}</li>}
          {e.cost > 0 && (
            <li data-testid="estimate-cost">{t.create.estimateCost(formatCost(e.cost, e.currency, t.locale))}</li>
          )}
        </ul>
      );
      break;
    }
  }
  return (
    <section className="estimate" aria-labelledby="estimate-title" aria-live="polite" data-testid="estimate">
      <h2 id="estimate-title">{t.create.estimateTitle}</h2>
      {body}
    </section>
  );
}
