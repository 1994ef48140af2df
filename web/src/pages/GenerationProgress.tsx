import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { BlockGrid } from '../components/BlockGrid';
import { VideoPlayer } from '../components/VideoPlayer';
import { errorText } from '../components/errors';
import { ProgressBar } from '../components/ProgressBar';
import { useMediaToken } from '../hooks/useMediaToken';
import { useVideoProgress, type ProgressTimings } from '../hooks/useVideoProgress';
import { useI18n, type Messages } from '../i18n';
import { api, ApiError, isTerminal, type VideoError } from '../services/api';

/** /videos/:id — the live progress of one video, then its player. */
export function GenerationProgress({ timings }: { timings?: Partial<ProgressTimings> }) {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const [restartKey, setRestartKey] = useState(0);
  const { status, steps, connection, error } = useVideoProgress(id, { timings, restartKey });
  const [action, setAction] = useState<'cancel' | 'retry' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const completed = status?.status === 'completed';
  const mediaToken = useMediaToken(completed);
  const notFound = error instanceof ApiError && error.status === 404;

  const run = async (kind: 'cancel' | 'retry') => {
    setAction(kind);
    setActionError(null);
    try {
      if (kind === 'cancel') {
        await api.cancelVideo(id);
      } else {
        await api.retryVideo(id);
        setRestartKey((key) => key + 1); // the video is no longer terminal: follow it again
      }
    } catch (err) {
      setActionError(errorText(err, t));
    } finally {
      setAction(null);
    }
  };

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

      {actionError && (
        <p className="form-error" role="alert" data-testid="action-error">
          {actionError}
        </p>
      )}

      <div className="actions">
        {status && !isTerminal(status.status) && (
          <button type="button" className="button" disabled={action !== null} onClick={() => void run('cancel')}>
            {action === 'cancel' ? t.progress.cancelling : t.progress.cancel}
          </button>
        )}
        {status?.status === 'failed' && connection === 'closed' && (
          <button
            type="button"
            className="button button--primary"
            disabled={action !== null}
            onClick={() => void run('retry')}
          >
            {action === 'retry' ? t.progress.retrying : t.progress.retry}
          </button>
        )}
      </div>

      {completed && (
        <section className="result" aria-labelledby="result-title">
          <h2 id="result-title">{t.progress.ready}</h2>
          {mediaToken && (
            <VideoPlayer
              videoId={id}
              mediaToken={mediaToken}
              label={t.progress.player}
              language={status?.request.language ?? 'fr'}
              withPoster
            />
          )}
          <p className="actions">
            {mediaToken && (
              <a className="button" href={api.fileUrl(id, mediaToken, true)} download>
                {t.progress.download}
              </a>
            )}
            {mediaToken && (
              <a className="button" href={api.captionsUrl(id, mediaToken, 'srt')} download>
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

      <section aria-labelledby="blocks-title">
        <h2 id="blocks-title">{t.progress.blocks}</h2>
        {status && status.blocks.length > 0 ? (
          <BlockGrid blocks={status.blocks} />
        ) : (
          <p className="muted">{t.progress.blocksPending}</p>
        )}
      </section>
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
