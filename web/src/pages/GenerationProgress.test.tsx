import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { BlockState } from '../services/api';
import { callsTo, json, renderPage, sseStream, stubFetch, videoStatus } from '../test/helpers';
import { GenerationProgress } from './GenerationProgress';

const TIMINGS = { pollIntervalMs: 20, reconnectDelayMs: 60, stallTimeoutMs: 5_000 };

function block(index: number, state: BlockState['state'], attempt = 1): BlockState {
  return { index, state, attempt, prompt: null, narration: null, duration_s: 8, clip_uri: null, operation: null, error_code: null };
}

function renderProgress() {
  sessionStorage.setItem('reetik.token', 'tok');
  return renderPage(<GenerationProgress timings={TIMINGS} />, { path: '/videos/:id', url: '/videos/vid-1' });
}

describe('GenerationProgress', () => {
  it('shows the steps as they arrive, the progress bar and the block grid', async () => {
    const stream = sseStream();
    const fetch = stubFetch((url) => (url.endsWith('/events') ? stream.response() : json(202, {})));
    const user = userEvent.setup();
    renderProgress();

    stream.status(videoStatus({ version: 1 }));
    stream.status(videoStatus({ version: 2, status: 'generating_script', current_step: 'Génération du script', progress: 5 }));
    stream.status(
      videoStatus({
        version: 3,
        status: 'generating_parallel',
        current_step: 'Génération vidéos (1/3 blocs)',
        progress: 40,
        total_blocks: 3,
        completed_blocks: 1,
        blocks: [block(1, 'completed'), block(2, 'retrying', 2), block(3, 'generating')],
      }),
    );

    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('Génération vidéos (1/3 blocs)'));
    const steps = within(screen.getByTestId('step-log')).getAllByRole('listitem');
    expect(steps.map((li) => li.textContent)).toEqual([
      'En attente',
      'Génération du script',
      'Génération vidéos (1/3 blocs)',
    ]);
    expect(screen.getByTestId('progress-bar')).toHaveAttribute('aria-valuenow', '40');
    expect(screen.getByRole('progressbar', { name: 'Progression' })).toBeInTheDocument();
    const cells = within(screen.getByTestId('block-grid')).getAllByRole('listitem');
    expect(cells.map((cell) => cell.dataset.state)).toEqual(['completed', 'retrying', 'generating']);
    expect(cells[1]).toHaveTextContent('Bloc 2Nouvel essai · essai 2');
    expect(screen.queryByRole('button', { name: 'Réessayer' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Annuler la génération' }));
    await waitFor(() => expect(callsTo(fetch, '/cancel')).toHaveLength(1));
    expect(callsTo(fetch, '/cancel')[0]?.[1].method).toBe('POST');
  });

  it('shows the error message and stage of a failed video, and retries it', async () => {
    const failed = videoStatus({
      version: 7,
      status: 'failed',
      current_step: 'Erreur',
      progress: 60,
      error: { code: 'block_failed', message: 'Une erreur est survenue. Veuillez réessayer.', stage: 'block 3', detail: null },
    });
    const first = sseStream();
    const second = sseStream();
    const streams = [first, second];
    const fetch = stubFetch((url) => {
      if (url.endsWith('/events')) {
        return (streams.shift() ?? second).response();
      }
      return json(202, { video_id: 'vid-1', status: 'queued', status_url: '', events_url: '' });
    });
    const user = userEvent.setup();
    renderProgress();
    first.status(failed);
    first.close();

    const error = await screen.findByTestId('error');
    expect(error).toHaveTextContent('Une erreur est survenue. Veuillez réessayer.');
    expect(error).toHaveTextContent('Étape : bloc 3');
    expect(screen.queryByRole('button', { name: 'Annuler la génération' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Réessayer' }));
    await waitFor(() => expect(callsTo(fetch, '/events')).toHaveLength(2));
    expect(callsTo(fetch, '/retry')).toHaveLength(1);
    expect((callsTo(fetch, '/events')[1]?.[1].headers as Record<string, string>)['Last-Event-ID']).toBe('7');
    second.status(videoStatus({ version: 8, status: 'queued', current_step: 'En attente' }));
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('En attente'));
    expect(screen.queryByTestId('error')).not.toBeInTheDocument();
  });

  it('shows the player with subtitles, the download links and the library link when completed', async () => {
    const stream = sseStream();
    stubFetch((url) =>
      url.endsWith('/events') ? stream.response() : json(200, { media_token: 'mt', expires_in: 300 }),
    );
    renderProgress();
    stream.status(videoStatus({ version: 9, status: 'completed', current_step: 'Terminé', progress: 100, duration_s: 36 }));
    stream.close();

    const download = await screen.findByRole('link', { name: 'Télécharger' });
    expect(download).toHaveAttribute('href', '/api/videos/vid-1/file?media_token=mt&download=1');
    const player = screen.getByLabelText('Vidéo générée');
    expect(player).toHaveAttribute('src', '/api/videos/vid-1/file?media_token=mt');
    // with the subtitles on, in the video's language, and the SubRip file to download
    const track = player.querySelector('track');
    expect(track).toHaveAttribute('src', '/api/videos/vid-1/captions.vtt?media_token=mt');
    expect(track).toHaveAttribute('kind', 'subtitles');
    expect(track).toHaveAttribute('srclang', 'fr');
    expect(track).toHaveAttribute('default');
    expect(screen.getByRole('link', { name: 'Sous-titres (.srt)' })).toHaveAttribute(
      'href',
      '/api/videos/vid-1/captions.srt?media_token=mt',
    );
    expect(screen.getByRole('link', { name: 'Voir la bibliothèque' })).toHaveAttribute('href', '/library');
    expect(screen.getByTestId('connection')).toHaveAttribute('data-connection', 'closed');
  });
});
