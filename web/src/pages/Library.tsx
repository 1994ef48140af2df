import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { errorText } from '../components/errors';
import { VideoPlayer } from '../components/VideoPlayer';
import { useMediaToken } from '../hooks/useMediaToken';
import { useI18n } from '../i18n';
import { api, isTerminal, type VideoPage, type VideoSummary } from '../services/api';

export const PAGE_SIZE = 12;

/** /library?page=N (1-based in the URL) — the user's videos, newest first. */
export function Library() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [result, setResult] = useState<VideoPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const mediaToken = useMediaToken(result?.videos.some(isPlayable) ?? false);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    api
      .listVideos(page - 1, PAGE_SIZE, controller.signal)
      .then(setResult)
      .catch((err: unknown) => {
        if (!controller.signal.aborted) {
          setError(err);
        }
      });
    return () => controller.abort();
  }, [page]);

  const pages = result ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : 1;
  const goTo = (next: number) => {
    setParams(next > 1 ? { page: String(next) } : {});
    document.getElementById('library-title')?.focus();
  };

  return (
    <section className="card" aria-labelledby="library-title" aria-busy={result === null && error === null}>
      <h1 id="library-title" tabIndex={-1}>
        {t.library.title}
      </h1>
      {error !== null && (
        <p className="form-error" role="alert" data-testid="error">
          {errorText(error, t)}
        </p>
      )}
      {result === null && error === null && <p className="muted">{t.common.loading}</p>}
      {result && result.videos.length === 0 && (
        <p data-testid="library-empty">
          {t.library.empty} <Link to="/create">{t.library.createFirst}</Link>
        </p>
      )}
      {result && result.videos.length > 0 && (
        <ul className="library" data-testid="library-list">
          {result.videos.map((video) => (
            <LibraryItem
              key={video.video_id}
              video={video}
              mediaToken={mediaToken}
              onDeleted={(id) =>
                setResult((prev) =>
                  prev && { ...prev, videos: prev.videos.filter((v) => v.video_id !== id), total: prev.total - 1 },
                )
              }
            />
          ))}
        </ul>
      )}
      {result && pages > 1 && (
        <nav className="pagination" aria-label={t.library.pagination}>
          <button type="button" className="button" disabled={page <= 1} onClick={() => goTo(page - 1)}>
            {t.library.previous}
          </button>
          <span aria-live="polite">{t.library.pageOf(page, pages)}</span>
          <button type="button" className="button" disabled={page >= pages} onClick={() => goTo(page + 1)}>
            {t.library.next}
          </button>
        </nav>
      )}
    </section>
  );
}

/** A version of the video plays: it completed, or an edit runs or failed while the previous version stays. */
function isPlayable(video: VideoSummary): boolean {
  return video.status === 'completed' || video.final_url != null;
}

function LibraryItem({
  video,
  mediaToken,
  onDeleted,
}: {
  video: VideoSummary;
  mediaToken: string | null;
  onDeleted: (videoId: string) => void;
}) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [playing, setPlaying] = useState<string | null>(null);
  const [retrying, setRetrying] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const completed = video.status === 'completed';
  const playable = isPlayable(video);
  const finalVersion = video.final_version ?? null;
  const titleId = `video-${video.video_id}-title`;

  const retry = async () => {
    setRetrying(true);
    setError(null);
    try {
      await api.retryVideo(video.video_id);
      navigate(`/videos/${encodeURIComponent(video.video_id)}`);
    } catch (err) {
      setError(errorText(err, t));
      setRetrying(false);
    }
  };

  const remove = async () => {
    if (!window.confirm(t.library.confirmDelete(video.theme))) {
      return;
    }
    setDeleting(true);
    setError(null);
    try {
      await api.deleteVideo(video.video_id);
      onDeleted(video.video_id);
    } catch (err) {
      setError(errorText(err, t));
      setDeleting(false);
    }
  };

  return (
    <li
      className="library-item"
      data-testid="library-item"
      data-video-id={video.video_id}
      data-status={video.status}
      aria-labelledby={titleId}
    >
      <div className={`library-item__media library-item__media--${playable ? 'ready' : 'pending'}`}>
        {playing ? (
          <VideoPlayer
            videoId={video.video_id}
            mediaToken={playing}
            label={video.theme}
            language={video.language ?? 'fr'}
            version={finalVersion}
            autoPlay
          />
        ) : playable && mediaToken ? (
          <img
            src={api.posterUrl(video.video_id, mediaToken, finalVersion)}
            alt={t.library.posterAlt(video.theme)}
            loading="lazy"
          />
        ) : (
          <span className="muted">{playable ? t.common.loading : t.library.noPoster}</span>
        )}
      </div>
      <div className="library-item__body">
        <div className="library-item__heading">
          <h2 id={titleId} className="library-item__title">
            {video.theme}
          </h2>
          {finalVersion !== null && finalVersion > 1 && (
            <span className="version-badge" title={t.library.versionTitle(finalVersion)} data-testid="version-badge">
              {t.library.versionBadge(finalVersion)}
            </span>
          )}
        </div>
        <dl className="facts">
          <div>
            <dt>{t.library.status}</dt>
            <dd data-testid="library-status">
              {video.current_step}
              {!isTerminal(video.status) && ` (${video.progress} %)`}
            </dd>
          </div>
          {video.duration_s !== null && (
            <div>
              <dt>{t.library.duration}</dt>
              <dd>{t.format.duration(video.duration_s)}</dd>
            </div>
          )}
          <div>
            <dt>{t.library.created}</dt>
            <dd>
              <time dateTime={video.created_at}>{formatDate(video.created_at, t.locale)}</time>
            </dd>
          </div>
        </dl>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          {playable && mediaToken && !playing && (
            <button
              type="button"
              className="button button--primary"
              aria-describedby={titleId}
              onClick={() => setPlaying(mediaToken)}
            >
              {t.library.play}
            </button>
          )}
          {playable && mediaToken && (
            <a
              className="button"
              href={api.fileUrl(video.video_id, mediaToken, true, finalVersion)}
              download
              aria-describedby={titleId}
            >
              {t.library.download}
            </a>
          )}
          {playable && mediaToken && (
            <a
              className="button"
              href={api.captionsUrl(video.video_id, mediaToken, 'srt', finalVersion)}
              download
              aria-describedby={titleId}
            >
              {t.library.downloadSubtitles}
            </a>
          )}
          {video.status === 'failed' && (
            <button
              type="button"
              className="button button--primary"
              disabled={retrying}
              aria-describedby={titleId}
              onClick={() => void retry()}
            >
              {t.library.retry}
            </button>
          )}
          {completed && (
            <Link
              to={`/videos/${encodeURIComponent(video.video_id)}#blocks`}
              aria-describedby={titleId}
              data-testid="edit-video"
            >
              {t.library.edit}
            </Link>
          )}
          <Link to={`/videos/${encodeURIComponent(video.video_id)}`} aria-describedby={titleId}>
            {t.library.details}
          </Link>
          <Link to={`/create?like=${encodeURIComponent(video.video_id)}`} aria-describedby={titleId}>
            {t.library.makeAnother}
          </Link>
          <button
            type="button"
            className="button"
            disabled={deleting}
            aria-describedby={titleId}
            data-testid="delete-video"
            onClick={() => void remove()}
          >
            {deleting ? t.library.deleting : t.library.delete}
          </button>
        </div>
      </div>
    </li>
  );
}

function formatDate(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
