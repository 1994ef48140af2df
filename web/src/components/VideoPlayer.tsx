import { useState } from 'react';
import { useI18n } from '../i18n';
import { api, type VideoLanguage } from '../services/api';

/**
 * A completed video with its subtitles (captions.vtt, written by the assembler from the narration) as a track the
 * viewer can turn off. The URLs are kept from the first render: a renewed media token must not reload a playing
 * video.
 */
export function VideoPlayer({
  videoId,
  mediaToken,
  label,
  language,
  autoPlay = false,
  withPoster = false,
}: {
  videoId: string;
  mediaToken: string;
  label: string;
  language: VideoLanguage;
  autoPlay?: boolean;
  withPoster?: boolean;
}) {
  const { t } = useI18n();
  const [urls] = useState(() => ({
    src: api.fileUrl(videoId, mediaToken),
    poster: withPoster ? api.posterUrl(videoId, mediaToken) : undefined,
    captions: api.captionsUrl(videoId, mediaToken),
  }));
  return (
    <video
      className="player"
      controls
      preload="metadata"
      autoPlay={autoPlay}
      src={urls.src}
      poster={urls.poster}
      aria-label={label}
    >
      <track kind="subtitles" src={urls.captions} srcLang={language} label={t.create.languages[language]} default />
    </video>
  );
}
