import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
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
  REFERENCE_IMAGE_TYPES,
  STYLES,
  type AspectRatio,
  type Estimate,
  type ReferenceImageInput,
  type ReferenceImageType,
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
export const REFERENCE_IMAGES_MAX = 3;
export const REFERENCE_IMAGE_MAX_BYTES = 3 * 1024 * 1024;

type FieldName = keyof VideoRequest;
type FieldErrors = Partial<Record<FieldName, string>>;
const FIELDS: FieldName[] = [
  'theme',
  'target_duration',
  'style',
  'language',
  'aspect_ratio',
  'subtitles',
  'transition',
  'reference_images',
];

/** A chosen reference image; `dataUrl` is null when it was not read (refused type or size, or unreadable). */
interface ReferenceDraft {
  key: number;
  name: string;
  size: number;
  mimeType: ReferenceImageType | null;
  dataUrl: string | null;
}

const EXTENSION_TYPES: Record<string, ReferenceImageType> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

/** PNG, JPEG or WebP from the file's type (from its extension when the browser gives none); null otherwise. */
function imageType(file: File): ReferenceImageType | null {
  if ((REFERENCE_IMAGE_TYPES as readonly string[]).includes(file.type)) {
    return file.type as ReferenceImageType;
  }
  const extension = file.name.split('.').pop()?.toLowerCase() ?? '';
  return file.type === '' ? (EXTENSION_TYPES[extension] ?? null) : null;
}

function readDataUrl(file: File): Promise<string | null> {
  return new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : null);
    reader.onerror = () => resolve(null);
    reader.readAsDataURL(file);
  });
}

/** The images as the API takes them (base64 without the data: prefix), or the first thing wrong with them. */
function checkReferences(images: ReferenceDraft[], t: Messages): { inputs: ReferenceImageInput[]; error?: string } {
  const inputs: ReferenceImageInput[] = [];
  for (const image of images) {
    if (!image.mimeType) {
      return { inputs: [], error: t.create.referenceBadType(image.name) };
    }
    if (image.size > REFERENCE_IMAGE_MAX_BYTES) {
      return { inputs: [], error: t.create.referenceTooLarge(image.name) };
    }
    if (!image.dataUrl) {
      return { inputs: [], error: t.create.referenceUnreadable(image.name) };
    }
    inputs.push({ mime_type: image.mimeType, data: image.dataUrl.slice(image.dataUrl.indexOf(',') + 1) });
  }
  if (images.length > REFERENCE_IMAGES_MAX) {
    return { inputs: [], error: t.create.referenceTooMany(images.length) };
  }
  return { inputs };
}

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

function validate(
  values: FormValues,
  images: ReferenceDraft[],
  t: Messages,
): { request: VideoRequest | null; errors: FieldErrors } {
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
  const references = checkReferences(images, t);
  if (references.error) {
    errors.reference_images = references.error;
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
      ...(references.inputs.length > 0 ? { reference_images: references.inputs } : {}),
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
  const [images, setImages] = useState<ReferenceDraft[]>([]);
  const [readingImages, setReadingImages] = useState(false);
  const nextImageKey = useRef(0);
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

  // The estimate follows the fields, debounced; only valid requests are sent. The images stay out of the key (it
  // would hold megabytes of base64): the effect follows the images' array instead.
  const { request, errors: liveErrors } = validate(values, images, t);
  const requestKey = request ? JSON.stringify({ ...request, reference_images: undefined }) : null;
  const referenceInputs = request?.reference_images;
  useEffect(() => {
    if (!requestKey) {
      setEstimate({ kind: 'incomplete' });
      return undefined;
    }
    const controller = new AbortController();
    setEstimate({ kind: 'loading' });
    const timer = setTimeout(() => {
      api
        .estimate({ ...(JSON.parse(requestKey) as VideoRequest), reference_images: referenceInputs }, controller.signal)
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
    // referenceInputs is a new array on each render: `images`, its source, says when it really changed
  }, [requestKey, images, estimateDelayMs]);

  const update = <K extends keyof FormValues>(key: K, value: FormValues[K], field: FieldName) => {
    setValues((current) => ({ ...current, [key]: value }));
    idempotencyKey.current = null; // a different request: a new key
    if (errors[field]) {
      setErrors((current) => ({ ...current, [field]: undefined }));
    }
  };

  const changeImages = (change: (current: ReferenceDraft[]) => ReferenceDraft[]) => {
    setImages(change);
    idempotencyKey.current = null;
    setErrors((current) => ({ ...current, reference_images: undefined })); // a server's message was about the others
  };

  const chooseImages = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = ''; // the same file can be chosen again after it was removed
    if (files.length === 0) {
      return;
    }
    setReadingImages(true);
    const chosen = await Promise.all(
      files.map(async (file): Promise<ReferenceDraft> => {
        const mimeType = imageType(file);
        const key = nextImageKey.current++;
        // a refused file is listed (to be removed) but not read
        const readable = mimeType !== null && file.size <= REFERENCE_IMAGE_MAX_BYTES;
        return { key, name: file.name, size: file.size, mimeType, dataUrl: readable ? await readDataUrl(file) : null };
      }),
    );
    setReadingImages(false);
    changeImages((current) => [...current, ...chosen]);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (submittingRef.current) {
      return; // a double click: the first attempt is still in flight
    }
    const checked = validate(values, images, t);
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
      // a 413 names no field, but only the images can make the body that large
      const tooLarge = error instanceof ApiError && error.status === 413 && images.length > 0;
      const field = tooLarge ? 'reference_images' : error instanceof ApiError ? error.field : undefined;
      if (error instanceof ApiError && isField(field)) {
        setErrors({ [field]: error.message });
        document.getElementById(fieldId(field))?.focus();
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

        <Field
          id={fieldId('reference_images')}
          label={t.create.referenceImages}
          hint={t.create.referenceImagesHint}
          error={liveErrors.reference_images ?? errors.reference_images}
        >
          {(control) => (
            <>
              <input
                {...control}
                type="file"
                name="reference_images"
                accept={REFERENCE_IMAGE_TYPES.join(',')}
                multiple
                onChange={(e) => void chooseImages(e)}
              />
              {images.length > 0 && (
                <ul className="reference-list" data-testid="reference-list">
                  {images.map((image, i) => (
                    <li key={image.key} className="reference-item">
                      {image.dataUrl ? (
                        <img
                          className="reference-thumb"
                          src={image.dataUrl}
                          alt={t.create.referenceImageAlt(i + 1)}
                          title={image.name}
                        />
                      ) : (
                        <span className="reference-thumb reference-thumb--refused" title={image.name}>
                          {image.name}
                        </span>
                      )}
                      <button
                        type="button"
                        className="button button--small"
                        aria-label={t.create.referenceRemoveLabel(i + 1)}
                        onClick={() => changeImages((current) => current.filter((other) => other.key !== image.key))}
                      >
                        {t.create.referenceRemove}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </Field>

        <EstimatePanel state={estimate} t={t} />

        {formError && (
          <p className="form-error" role="alert" data-testid="form-error">
            {formError}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={submitting || readingImages}>
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
