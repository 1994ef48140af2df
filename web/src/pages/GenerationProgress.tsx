import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { BlockEditor } from '../components/BlockEditor';
import { BlockGrid } from '../components/BlockGrid';
import { VideoPlayer } from '../components/VideoPlayer';
import { errorText } from '../components/errors';
import { ProgressBar } from '../components/ProgressBar';
import { useMediaToken } from '../hooks/useMediaToken';
import { useVideoProgress, type ProgressTimings } from '../hooks/useVideoProgress';
import { useI18n, type Messages } from '../i18n';
import { api, ApiError, isTerminal, type ReferenceImage, type VideoError } from '../services/api';

const EDITOR_ID = 'block-editor';

/**
 * /videos/:id — the live progress of one video, then its player; a completed or failed video's blocks can be
 * edited one at a time (the previous version stays playable while the edit runs).
 */
export function GenerationProgress({
  timings,
  estimateDelayMs,
}: {
  timings?: Partial<ProgressTimings>;
  estimateDelayMs?: number;
}) {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const [restartKey, setRestartKey] = useState(0);
  const { status, steps, connection, error } = useVideoProgress(id, { timings, restartKey });
  const [action, setAction] = useState<'cancel' | 'retry' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [editing, setEditing] = useState<number | null>(null);
  const [editSubmitting, setEditSubmitting] = useState(false);
  // The status version when an edit was accepted: until a newer one arrives, the page still shows the video as
  // it was (completed or failed), and must not offer to edit it again.
  const [editAcceptedAt, setEditAcceptedAt] = useState<number | null>(null);

  const completed = status?.status === 'completed';
  const running = status !== null && !isTerminal(status.status);
  // A version is playable: the video completed, or an edit runs or failed while the previous version stays.
  const playable = status !== null && (completed || status.final_url != null);
  const finalVersion = status?.final_version ?? null;
  const edit = status?.edit ?? null;
  const references = status?.request.reference_images ?? [];
  const mediaToken = useMediaToken(playable || references.length > 0);
  const notFound = error instanceof ApiError && error.status === 404;
  const editable =
    status !== null &&
    (status.status === 'completed' || status.status === 'failed') &&
    status.blocks.length > 0 &&
    (editAcceptedAt === null || status.version > editAcceptedAt);
  const editedBlock = editable && editing !== null ? status.blocks.find((b) => b.index === editing) : undefined;

  const run = async (kind: 'cancel' | 'retry') => {
    setAction(kind);
    setActionError(null);
    try {
      if (kind === 'cancel') {
        await api.cancelVideo(id);
      } else {
        await api.retryVideo(id);
        setEditing(null);
        setRestartKey((key) => key + 1); // the video is no longer terminal: follow it again
      }
    } catch (err) {
      setActionError(errorText(err, t));
    } finally {
      setAction(null);
    }
  };

  const followAgain = () => {
    setEditing(null);
    setEditAcceptedAt(status?.version ?? null);
    setRestartKey((key) => key + 1); // the video runs again (or already ran): follow it
  };
  const onEditSubmitting = useCallback((submitting: boolean) => setEditSubmitting(submitting), []);

  // The library's "Edit" link opens /videos/:id#blocks: once the blocks are there, bring them into view.
  const { hash } = useLocation();
  const scrolledToBlocks = useRef(false);
  const hasBlocks = (status?.blocks.length ?? 0) > 0;
  useEffect(() => {
    if (hash === '#blocks' && hasBlocks && !scrolledToBlocks.current) {
      scrolledToBlocks.current = true;
      document.getElementById('blocks')?.scrollIntoView?.({ block: 'start' });
    }
  }, [hash, hasBlocks]);

  if (notFound) {
    return (
      <section className="card">
        <h1>{t.progress.title}</h1>
        <p role="alert" data-testid="error">
          {t.progress.notFound}
        </p>
        <Link to="/library">{t.progress.toLibrary}</Link>
      </section>
    );
  }

  return (
    <section className="card progress-page" aria-labelledby="progress-title" aria-busy={status === null}>
      <h1 id="progress-title">{t.progress.title}</h1>
      {status && <p className="theme-quote">{status.request.theme}</p>}
      {references.length > 0 && <ReferenceImages videoId={id} images={references} mediaToken={mediaToken} t={t} />}

      <div className="status-line">
        <p className="status" role="status" data-testid="status" data-status={status?.status ?? ''}>
          {status ? status.current_step : t.common.loading}
        </p>
        <span className={`connection connection--${connection}`} data-testid="connection" data-connection={connection}>
          {t.progress.connection[connection]}
        </span>
      </div>

      <ProgressBar value={status?.progress ?? 0} label={t.progress.progressLabel} />

      {error && connection === 'closed' && !status && (
        <p className="form-error" role="alert" data-testid="error">
          {errorText(error, t)}
        </p>
      )}

      {status?.status === 'failed' && status.error && <FailureMessage error={status.error} t={t} />}
      {status?.status === 'failed' && !status.error && edit && (
        <p className="form-error" role="alert" data-testid="error">
          {t.progress.editFailed(finalVersion ?? 1, edit.block)}
        </p>
      )}

      {actionError && (
        <p className="form-error" role="alert" data-testid="action-error">
          {actionError}
        </p>
      )}

      <div className="actions">
        {status && !isTerminal(status.status) && (
          <button type="button" className="button" disabled={action !== null} onClick={() => void run('cancel')}>
            {action === 'cancel' ? t.progress.cancelling : edit ? t.progress.cancelEdit : t.progress.cancel}
          </button>
        )}
        {status?.status === 'failed' && connection === 'closed' && (
          <button
            type="button"
            className="button button--primary"
            disabled={action !== null || editSubmitting}
            onClick={() => void run('retry')}
          >
            {action === 'retry' ? t.progress.retrying : t.progress.retry}
          </button>
        )}
      </div>

      {playable && (
        <section className="result" aria-labelledby="result-title">
          <h2 id="result-title">{completed ? t.progress.ready : t.progress.currentVersion}</h2>
          {finalVersion !== null && finalVersion > 1 && (
            <p className="version-label" data-testid="final-version">
              {t.progress.version(finalVersion)}
            </p>
          )}
          {edit && !completed && (
            <p className="note" data-testid="edit-note">
              {running
                ? t.progress.editRunning(finalVersion ?? 1, edit.block)
                : t.progress.editFailed(finalVersion ?? 1, edit.block)}
            </p>
          )}
          {mediaToken && (
            <VideoPlayer
              videoId={id}
              mediaToken={mediaToken}
              label={t.progress.player}
              language={status.request.language}
              version={finalVersion}
              withPoster
            />
          )}
          <p className="actions">
            {mediaToken && (
              <a className="button" href={api.fileUrl(id, mediaToken, true, finalVersion)} download>
                {t.progress.download}
              </a>
            )}
            {mediaToken && (
              <a className="button" href={api.captionsUrl(id, mediaToken, 'srt', finalVersion)} download>
                {t.progress.downloadSubtitles}
              </a>
            )}
            <Link className="button button--primary" to="/library">
              {t.progress.toLibrary}
            </Link>
            <Link to="/create">{t.progress.createAnother}</Link>
          </p>
        </section>
      )}

      <section aria-labelledby="steps-title">
        <h2 id="steps-title">{t.progress.steps}</h2>
        <ol className="step-log" data-testid="step-log">
          {steps.map((step, i) => (
            <li key={step} aria-current={i === steps.length - 1 ? 'step' : undefined}>
              {step}
            </li>
          ))}
        </ol>
      </section>

      <section id="blocks" aria-labelledby="blocks-title">
        <h2 id="blocks-title">{t.progress.blocks}</h2>
        {status && status.blocks.length > 0 ? (
          <BlockGrid
            blocks={status.blocks}
            onEdit={editable ? (index) => setEditing((current) => (current === index ? null : index)) : undefined}
            editing={editedBlock?.index ?? null}
            editorId={EDITOR_ID}
            editDisabled={editSubmitting || action !== null}
          />
        ) : (
          <p className="muted">{t.progress.blocksPending}</p>
        )}
        {editedBlock && (
          <BlockEditor
            key={editedBlock.index}
            id={EDITOR_ID}
            videoId={id}
            block={editedBlock}
            estimateDelayMs={estimateDelayMs}
            onAccepted={() => {
              setActionError(null);
              followAgain();
            }}
            onBusy={(message) => {
              setActionError(message);
              followAgain();
            }}
            onClose={() => setEditing(null)}
            onSubmittingChange={onEditSubmitting}
          />
        )}
      </section>
    </section>
  );
}

/** The request's reference images, small; each opens in full size. */
function ReferenceImages({
  videoId,
  images,
  mediaToken,
  t,
}: {
  videoId: string;
  images: ReferenceImage[];
  mediaToken: string | null;
  t: Messages;
}) {
  return (
    <section className="references" aria-labelledby="references-title">
      <h2 id="references-title">{t.progress.referenceImages}</h2>
      {mediaToken && (
        <ul className="reference-list" data-testid="reference-images">
          {images.map((image, i) => {
            const url = api.referenceUrl(videoId, i + 1, mediaToken);
            return (
              <li key={`${i}-${image.sha256}`} className="reference-item">
                <a href={url} target="_blank" rel="noreferrer">
                  <img className="reference-thumb" src={url} alt={t.progress.referenceImageAlt(i + 1)} />
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function FailureMessage({ error, t }: { error: VideoError; t: Messages }) {
  return (
    <div className="failure" role="alert" data-testid="error">
      <p>{error.message}</p>
      {error.stage && <p className="muted">{t.progress.errorStage(stageLabel(error.stage, t))}</p>}
    </div>
  );
}

export function stageLabel(stage: string, t: Messages): string {
  if (stage === 'script') {
    return t.progress.stageScript;
  }
  if (stage === 'assembly') {
    return t.progress.stageAssembly;
  }
  const block = /^block\s+(\S+)$/.exec(stage);
  return block?.[1] ? t.progress.stageBlock(block[1]) : stage;
}
