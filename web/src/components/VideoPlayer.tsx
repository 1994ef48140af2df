import { useState } from 'react';
import { useI18n } from '../i18n';
import { api, type VideoLanguage } from '../services/api';

/**
 * A completed video with its subtitles (captions.vtt, written by the assembler from the narration) as a track the
 * viewer can turn off. The URLs are kept from the first render: a renewed media token must not reload a playing
 * video. A new `version` (final_version, raised by each completed edit) does: the file, poster and captions of the
 * new version are served at the same URLs, so they carry v=N and the element is a new one.
 */
export function VideoPlayer({
  videoId,
  mediaToken,
  label,
  language,
  version = null,
  autoPlay = false,
  withPoster = false,
}: {
  videoId: string;
  mediaToken: string;
  label: string;
  language: VideoLanguage;
  version?: number | null;
  autoPlay?: boolean;
  withPoster?: boolean;
}) {
  const { t } = useI18n();
  const build = () => ({
    version,
    src: api.fileUrl(videoId, mediaToken, false, version),
    poster: withPoster ? api.posterUrl(videoId, mediaToken, version) : undefined,
    captions: api.captionsUrl(videoId, mediaToken, 'vtt', version),
  });
  const [urls, setUrls] = useState(build);
  if (urls.version !== version) {
    setUrls(build()); // adjusting the state while rendering: React renders again at once with the new URLs
  }
  return (
    <video
      key={urls.version ?? 0}
      className="player"
      controls
      preload="metadata"
      autoPlay={autoPlay}
      src={urls.src}
      poster={urls.poster}
      aria-label={label}
      data-version={urls.version ?? undefined}
    >
      <track kind="subtitles" src={urls.captions} srcLang={language} label={t.create.languages[language]} default />
    </video>
  );
}
