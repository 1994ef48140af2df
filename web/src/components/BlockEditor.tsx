import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useI18n, type Messages } from '../i18n';
import {
  api,
  ApiError,
  type AcceptedVideo,
  type BlockEditRequest,
  type BlockState,
  type Estimate,
} from '../services/api';
import { errorText } from './errors';
import { Field } from './Field';
import { formatCost } from './format';

// The gateway's limits on a block edit, mirrored so most mistakes never reach it.
export const PROMPT_MAX = 2000;
export const NARRATION_MAX = 1000;

type EditField = 'prompt' | 'narration';
type FieldErrors = Partial<Record<EditField, string>>;
const FIELDS: EditField[] = ['prompt', 'narration'];

interface Values {
  prompt: string;
  narration: string;
}

type EstimateState =
  | { kind: 'loading' }
  | { kind: 'ready'; estimate: Estimate }
  | { kind: 'unchanged' }
  | { kind: 'unavailable' };

const fieldId = (field: EditField) => `block-edit-${field}`;

/** What the PUT sends: only the fields that changed (an omitted one keeps the block's current text). */
function changes(values: Values, block: BlockState): BlockEditRequest {
  const body: BlockEditRequest = {};
  const prompt = values.prompt.trim();
  const narration = values.narration.trim();
  if (prompt !== (block.prompt ?? '').trim()) {
    body.prompt = prompt;
  }
  if (narration !== (block.narration ?? '').trim()) {
    body.narration = narration;
  }
  return body;
}

function validate(values: Values, t: Messages): FieldErrors {
  const errors: FieldErrors = {};
  if ([...values.prompt.trim()].length > PROMPT_MAX) {
    errors.prompt = t.edit.promptTooLong; // code points, like the server
  }
  if ([...values.narration.trim()].length > NARRATION_MAX) {
    errors.narration = t.edit.narrationTooLong;
  }
  return errors;
}

function isEditField(field: string | undefined): field is EditField {
  return field === 'prompt' || field === 'narration';
}

export interface BlockEditorProps {
  id: string;
  videoId: string;
  block: BlockState;
  /** The edit was accepted (202): the video runs again. */
  onAccepted: (accepted: AcceptedVideo) => void;
  /** 409 video_busy: the video is being generated (an edit started elsewhere); the message to show on the page. */
  onBusy: (message: string) => void;
  onClose: () => void;
  /** Told when a request starts and ends, so the page's other buttons wait. */
  onSubmittingChange?: (submitting: boolean) => void;
  /** Debounce of the estimate after a change (the first one is asked at once). */
  estimateDelayMs?: number;
}

/**
 * The form that regenerates one block of a completed or failed video: its scene description and narration,
 * prefilled with the block's current text, the estimate of what the edit pays (one clip), and the submit.
 */
export function BlockEditor({
  id,
  videoId,
  block,
  onAccepted,
  onBusy,
  onClose,
  onSubmittingChange,
  estimateDelayMs = 400,
}: BlockEditorProps) {
  const { t } = useI18n();
  const [values, setValues] = useState<Values>({ prompt: block.prompt ?? '', narration: block.narration ?? '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [estimate, setEstimate] = useState<EstimateState>({ kind: 'loading' });
  const submittingRef = useRef(false);
  const estimated = useRef(false); // an estimate arrived: the next ones wait for the typing to pause

  useEffect(() => {
    document.getElementById(fieldId('prompt'))?.focus();
  }, []);

  useEffect(() => {
    onSubmittingChange?.(submitting);
  }, [submitting, onSubmittingChange]);
  useEffect(() => () => onSubmittingChange?.(false), [onSubmittingChange]);

  // The estimate follows the fields (debounced). Nothing changed yet: it is asked for the current texts, which
  // is what regenerating the block costs all the same.
  const body = changes(values, block);
  const valid = Object.keys(validate(values, t)).length === 0;
  const estimateBody: BlockEditRequest | null = !valid
    ? null
    : Object.keys(body).length > 0
      ? body
      : { prompt: values.prompt.trim(), narration: values.narration.trim() };
  const estimateKey = estimateBody ? JSON.stringify(estimateBody) : null;
  useEffect(() => {
    if (!estimateKey) {
      setEstimate({ kind: 'unavailable' });
      return undefined;
    }
    const controller = new AbortController();
    setEstimate({ kind: 'loading' });
    const delay = estimated.current ? estimateDelayMs : 0;
    const timer = setTimeout(() => {
      api
        .estimateEdit(videoId, block.index, JSON.parse(estimateKey) as BlockEditRequest, controller.signal)
        .then((result) => {
          estimated.current = true;
          setEstimate({ kind: 'ready', estimate: result });
        })
        .catch((error: unknown) => {
          if (controller.signal.aborted) {
            return;
          }
          const unchanged = error instanceof ApiError && error.code === 'empty_edit';
          setEstimate({ kind: unchanged ? 'unchanged' : 'unavailable' });
          if (error instanceof ApiError && error.status === 400 && isEditField(error.field)) {
            const field = error.field;
            setErrors((current) => ({ ...current, [field]: error.message }));
          }
        });
    }, delay);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [estimateKey, estimateDelayMs, videoId, block.index]);

  const update = (field: EditField, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    setFormError(null);
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
    setErrors(checked);
    setFormError(null);
    const first = FIELDS.find((field) => checked[field]);
    if (first) {
      document.getElementById(fieldId(first))?.focus();
      return;
    }
    const request = changes(values, block);
    if (Object.keys(request).length === 0) {
      setFormError(t.edit.unchanged);
      return;
    }
    submittingRef.current = true;
    setSubmitting(true);
    try {
      const accepted = await api.editBlock(videoId, block.index, request);
      onAccepted(accepted);
    } catch (error) {
      if (error instanceof ApiError && isEditField(error.field)) {
        setErrors({ [error.field]: error.message });
        document.getElementById(fieldId(error.field))?.focus();
      } else if (error instanceof ApiError && error.code === 'video_busy') {
        onBusy(t.edit.busy);
      } else if (error instanceof ApiError && error.code === 'empty_edit') {
        setFormError(t.edit.unchanged);
      } else {
        setFormError(errorText(error, t));
      }
    } finally {
      submittingRef.current = false;
      setSubmitting(false);
    }
  };

  const titleId = `${id}-title`;
  return (
    <section id={id} className="block-editor" aria-labelledby={titleId} data-testid="block-editor">
      <h3 id={titleId}>{t.edit.title(block.index)}</h3>
      <p className="muted">{t.edit.intro}</p>
      <form noValidate onSubmit={onSubmit} className="form">
        <Field id={fieldId('prompt')} label={t.edit.prompt} hint={t.edit.promptHint} error={errors.prompt}>
          {(control) => (
            <textarea
              {...control}
              name="prompt"
              rows={4}
              value={values.prompt}
              onChange={(e) => update('prompt', e.target.value)}
            />
          )}
        </Field>
        <Field id={fieldId('narration')} label={t.edit.narration} hint={t.edit.narrationHint} error={errors.narration}>
          {(control) => (
            <textarea
              {...control}
              name="narration"
              rows={3}
              value={values.narration}
              onChange={(e) => update('narration', e.target.value)}
            />
          )}
        </Field>

        <EditEstimate state={estimate} t={t} titleId={`${id}-estimate-title`} />

        {formError && (
          <p className="form-error" role="alert" data-testid="edit-error">
            {formError}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={submitting}>
            {submitting ? t.edit.submitting : t.edit.submit}
          </button>
          <button type="button" className="button" disabled={submitting} onClick={onClose}>
            {t.edit.close}
          </button>
        </div>
      </form>
    </section>
  );
}

function EditEstimate({ state, t, titleId }: { state: EstimateState; t: Messages; titleId: string }) {
  let body;
  switch (state.kind) {
    case 'loading':
      body = <p className="muted">{t.create.estimating}</p>;
      break;
    case 'unchanged':
      body = <p className="muted">{t.edit.unchanged}</p>;
      break;
    case 'unavailable':
      body = <p className="muted">{t.create.estimateUnavailable}</p>;
      break;
    case 'ready': {
      const e = state.estimate;
      const duration = e.estimated_seconds === null ? null : t.format.duration(e.estimated_seconds);
      body = (
        <ul className="estimate__list">
          <li data-testid="edit-estimate">{t.edit.estimate(e.blocks, e.block_seconds, duration)}</li>
          {e.reencoded_assembly && <li>{t.create.estimateReencoded}</li>}
          {e.cost > 0 && <li>{t.create.estimateCost(formatCost(e.cost, e.currency, t.locale))}</li>}
        </ul>
      );
      break;
    }
  }
  return (
    <section className="estimate" aria-labelledby={titleId} aria-live="polite">
      <h4 id={titleId}>{t.edit.estimateTitle}</h4>
      {body}
    </section>
  );
}
