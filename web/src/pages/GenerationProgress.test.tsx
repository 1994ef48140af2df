import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { BlockState, VideoStatus } from '../services/api';
import { apiError, callsTo, json, renderPage, sseStream, stubFetch, videoStatus } from '../test/helpers';
import { GenerationProgress } from './GenerationProgress';

const TIMINGS = { pollIntervalMs: 20, reconnectDelayMs: 60, stallTimeoutMs: 5_000 };

function block(index: number, state: BlockState['state'], attempt = 1): BlockState {
  return { index, state, attempt, prompt: null, narration: null, duration_s: 8, clip_uri: null, operation: null, error_code: null };
}

function renderProgress() {
  sessionStorage.setItem('reetik.token', 'tok');
  return renderPage(<GenerationProgress timings={TIMINGS} estimateDelayMs={0} />, {
    path: '/videos/:id',
    url: '/videos/vid-1',
  });
}

function scripted(index: number, state: BlockState['state'] = 'completed'): BlockState {
  return { ...block(index, state), prompt: `Plan ${index} : un volcan`, narration: `Narration ${index}.` };
}

/** A video that completed once (version 1 of final.mp4 playable), with three blocks. */
function completedVideo(overrides: Partial<VideoStatus> = {}): VideoStatus {
  return videoStatus({
    version: 9,
    status: 'completed',
    current_step: 'Terminé',
    progress: 100,
    total_blocks: 3,
    completed_blocks: 3,
    blocks: [scripted(1), scripted(2), scripted(3)],
    final_url: 'gs://bucket/vid-1/final.mp4',
    final_version: 1,
    duration_s: 24,
    ...overrides,
  });
}

const ESTIMATE = { blocks: 1, block_seconds: 8, generated_seconds: 8, estimated_seconds: 95, cost: 0, currency: 'USD' };

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
    // a running video cannot be edited
    expect(screen.queryByRole('button', { name: /^Modifier le bloc/ })).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Vidéo générée')).not.toBeInTheDocument();

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
    expect(screen.queryByRole('heading', { name: 'Images de référence' })).not.toBeInTheDocument();
  });

  it("shows the request's reference images with media-token URLs, while the video is still running", async () => {
    const stream = sseStream();
    stubFetch((url) =>
      url.endsWith('/events') ? stream.response() : json(200, { media_token: 'mt', expires_in: 300 }),
    );
    renderProgress();
    const base = videoStatus();
    stream.status(
      videoStatus({
        version: 2,
        status: 'generating_script',
        current_step: 'Génération du script',
        request: {
          ...base.request,
          reference_images: [
            { mime_type: 'image/png', sha256: 'a'.repeat(64), size: 1200 },
            { mime_type: 'image/jpeg', sha256: 'b'.repeat(64), size: 3400 },
          ],
        },
      }),
    );

    const second = await screen.findByRole('img', { name: 'Image de référence 2' });
    expect(second).toHaveAttribute('src', '/api/videos/vid-1/references/2?media_token=mt');
    expect(screen.getByRole('img', { name: 'Image de référence 1' })).toHaveAttribute(
      'src',
      '/api/videos/vid-1/references/1?media_token=mt',
    );
    expect(screen.getByRole('heading', { name: 'Images de référence' })).toBeInTheDocument();
    // the video itself is not playable yet
    expect(screen.queryByLabelText('Vidéo générée')).not.toBeInTheDocument();
  });

  describe('editing one block', () => {
    it('edits a block of a completed video and follows the edit until the new version plays', async () => {
      const first = sseStream();
      const second = sseStream();
      const streams = [first, second];
      const fetch = stubFetch((url, init) => {
        if (url.endsWith('/events')) {
          return (streams.shift() ?? second).response();
        }
        if (url.includes('/media-token')) {
          return json(200, { media_token: 'mt', expires_in: 300 });
        }
        if (url.endsWith('/blocks/2/estimate')) {
          return json(200, ESTIMATE);
        }
        if (url.endsWith('/blocks/2') && init.method === 'PUT') {
          return json(202, { video_id: 'vid-1', status: 'generating_parallel', status_url: '', events_url: '' });
        }
        return json(404, {});
      });
      const user = userEvent.setup();
      renderProgress();
      first.status(completedVideo());
      first.close();

      const player = await screen.findByLabelText('Vidéo générée');
      expect(player).toHaveAttribute('src', '/api/videos/vid-1/file?media_token=mt&v=1');
      const buttons = screen.getAllByRole('button', { name: /^Modifier le bloc \d$/ });
      expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual([
        'Modifier le bloc 1',
        'Modifier le bloc 2',
        'Modifier le bloc 3',
      ]);
      expect(screen.queryByText('Version 1')).not.toBeInTheDocument(); // the first version needs no label

      await user.click(screen.getByRole('button', { name: 'Modifier le bloc 2' }));
      const editor = screen.getByRole('region', { name: 'Modifier le bloc 2' });
      const prompt = within(editor).getByLabelText('Description de la scène');
      expect(prompt).toHaveValue('Plan 2 : un volcan');
      expect(within(editor).getByLabelText('Narration')).toHaveValue('Narration 2.');
      expect(await within(editor).findByText('Régénère 1 bloc (8 s) : 1 clip payant, environ 1 min 35 s')).toBeVisible();
      expect(callsTo(fetch, '/blocks/2/estimate')[0]?.[1].method).toBe('POST');

      await user.clear(prompt);
      await user.type(prompt, 'Un glacier au lever du jour');
      await user.click(within(editor).getByRole('button', { name: 'Régénérer ce bloc' }));

      await waitFor(() => expect(callsTo(fetch, '/blocks/2').filter(([, i]) => i.method === 'PUT')).toHaveLength(1));
      const [[url, init]] = callsTo(fetch, '/blocks/2').filter(([, i]) => i.method === 'PUT') as [[string, RequestInit]];
      expect(url).toBe('/api/videos/vid-1/blocks/2');
      expect(JSON.parse(init.body as string)).toEqual({ prompt: 'Un glacier au lever du jour' });
      // the form closes and the page follows the same video again
      await waitFor(() => expect(screen.queryByRole('region', { name: 'Modifier le bloc 2' })).not.toBeInTheDocument());
      await waitFor(() => expect(callsTo(fetch, '/events')).toHaveLength(2));
      expect(screen.queryByRole('button', { name: /^Modifier le bloc/ })).not.toBeInTheDocument();

      second.status(
        completedVideo({
          version: 10,
          status: 'generating_parallel',
          current_step: 'Modification du bloc 2',
          progress: 40,
          completed_blocks: 2,
          blocks: [scripted(1), { ...scripted(2, 'generating'), prompt: 'Un glacier au lever du jour' }, scripted(3)],
          edit: { version: 2, block: 2 },
        }),
      );
      await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('Modification du bloc 2'));
      const cells = within(screen.getByTestId('block-grid')).getAllByRole('listitem');
      expect(cells.map((cell) => cell.dataset.state)).toEqual(['completed', 'generating', 'completed']);
      expect(screen.getByText('La version 1 reste disponible pendant la modification du bloc 2.')).toBeVisible();
      expect(screen.getByLabelText('Vidéo générée')).toHaveAttribute('src', '/api/videos/vid-1/file?media_token=mt&v=1');

      second.status(completedVideo({ version: 11, final_version: 2 }));
      await waitFor(() =>
        expect(screen.getByLabelText('Vidéo générée')).toHaveAttribute('src', '/api/videos/vid-1/file?media_token=mt&v=2'),
      );
      expect(screen.getByLabelText('Vidéo générée').querySelector('track')).toHaveAttribute(
        'src',
        '/api/videos/vid-1/captions.vtt?media_token=mt&v=2',
      );
      expect(screen.getByText('Version 2')).toBeVisible();
      expect(screen.getByRole('link', { name: 'Télécharger' })).toHaveAttribute(
        'href',
        '/api/videos/vid-1/file?media_token=mt&download=1&v=2',
      );
      expect(screen.queryByText(/reste disponible/)).not.toBeInTheDocument();
      expect(screen.getAllByRole('button', { name: /^Modifier le bloc/ })).toHaveLength(3);
    });

    it('shows the busy message and the errors of a field from the server', async () => {
      const stream = sseStream();
      const later = sseStream();
      const streams = [stream, later];
      let answer: Response = apiError(400, 'validation_failed', 'narration must be at most 1000 characters.', 'narration');
      const fetch = stubFetch((url, init) => {
        if (url.endsWith('/events')) {
          return (streams.shift() ?? later).response();
        }
        if (url.includes('/media-token')) {
          return json(200, { media_token: 'mt', expires_in: 300 });
        }
        if (url.endsWith('/estimate')) {
          return json(200, ESTIMATE);
        }
        if (init.method === 'PUT') {
          return answer;
        }
        return json(503, {});
      });
      const user = userEvent.setup();
      renderProgress();
      stream.status(completedVideo());

      await user.click(await screen.findByRole('button', { name: 'Modifier le bloc 3' }));
      const editor = screen.getByRole('region', { name: 'Modifier le bloc 3' });
      const submit = within(editor).getByRole('button', { name: 'Régénérer ce bloc' });

      // nothing changed: nothing is sent
      await user.click(submit);
      expect(within(editor).getByRole('alert')).toHaveTextContent(
        'Modifiez la description ou la narration pour régénérer ce bloc.',
      );
      expect(callsTo(fetch).filter(([, i]) => i.method === 'PUT')).toHaveLength(0);

      const narration = within(editor).getByLabelText('Narration');
      await user.type(narration, ' Encore.');
      await user.click(submit);
      expect(await within(editor).findByText('narration must be at most 1000 characters.')).toBeVisible();
      expect(narration).toHaveAttribute('aria-invalid', 'true');
      expect(JSON.parse(callsTo(fetch).find(([, i]) => i.method === 'PUT')?.[1].body as string)).toEqual({
        narration: 'Narration 3. Encore.',
      });

      // an edit started elsewhere: the page says so and follows the video again
      answer = apiError(409, 'video_busy', 'The video is being generated.');
      await user.click(submit);
      expect(
        await screen.findByText('La vidéo est en cours de génération : attendez la fin pour modifier un bloc.'),
      ).toBeVisible();
      await waitFor(() => expect(callsTo(fetch, '/events')).toHaveLength(2));
      later.status(completedVideo({ version: 10, status: 'generating_parallel', edit: { version: 2, block: 1 } }));
      await waitFor(() => expect(screen.getByTestId('status')).toHaveAttribute('data-status', 'generating_parallel'));
      expect(screen.queryByRole('button', { name: /^Modifier le bloc/ })).not.toBeInTheDocument();
      expect(screen.getByText('La version 1 reste disponible pendant la modification du bloc 1.')).toBeVisible();
      expect(
        screen.getByText('La vidéo est en cours de génération : attendez la fin pour modifier un bloc.'),
      ).toBeVisible();
    });

    it('keeps the previous version playable while an edit runs', async () => {
      const stream = sseStream();
      stubFetch((url) =>
        url.endsWith('/events') ? stream.response() : json(200, { media_token: 'mt', expires_in: 300 }),
      );
      renderProgress();
      stream.status(
        completedVideo({
          version: 20,
          status: 'generating_parallel',
          current_step: 'Modification du bloc 3',
          progress: 55,
          final_version: 2,
          edit: { version: 3, block: 3 },
          blocks: [scripted(1), scripted(2), scripted(3, 'generating')],
        }),
      );

      expect(await screen.findByText('La version 2 reste disponible pendant la modification du bloc 3.')).toBeVisible();
      expect(screen.getByRole('progressbar', { name: 'Progression' })).toHaveAttribute('aria-valuenow', '55');
      await waitFor(() =>
        expect(screen.getByLabelText('Vidéo générée')).toHaveAttribute('src', '/api/videos/vid-1/file?media_token=mt&v=2'),
      );
      expect(screen.getByText('Version 2')).toBeVisible();
      expect(screen.getByRole('button', { name: 'Annuler la modification' })).toBeEnabled();
      expect(screen.queryByRole('button', { name: /^Modifier le bloc/ })).not.toBeInTheDocument();
      expect(screen.queryByText('Votre vidéo est prête.')).not.toBeInTheDocument();
    });

    it('shows a failed edit with its error, the previous version still playing, and lets the user edit again', async () => {
      const stream = sseStream();
      stubFetch((url) => {
        if (url.endsWith('/events')) {
          return stream.response();
        }
        if (url.endsWith('/estimate')) {
          return json(200, ESTIMATE);
        }
        return json(200, { media_token: 'mt', expires_in: 300 });
      });
      const user = userEvent.setup();
      renderProgress();
      stream.status(
        completedVideo({
          version: 21,
          status: 'failed',
          current_step: 'Erreur',
          progress: 60,
          final_version: 2,
          edit: { version: 3, block: 1 },
          blocks: [scripted(1, 'failed'), scripted(2), scripted(3)],
          error: { code: 'block_failed', message: 'La génération du bloc a échoué.', stage: 'block 1', detail: null },
        }),
      );
      stream.close();

      const error = await screen.findByTestId('error');
      expect(error).toHaveTextContent('La génération du bloc a échoué.');
      expect(screen.getByText('La modification du bloc 1 a échoué : la version 2 reste disponible.')).toBeVisible();
      await waitFor(() =>
        expect(screen.getByLabelText('Vidéo générée')).toHaveAttribute('src', '/api/videos/vid-1/file?media_token=mt&v=2'),
      );
      await user.click(screen.getByRole('button', { name: 'Modifier le bloc 1' }));
      expect(screen.getByLabelText('Description de la scène')).toHaveValue('Plan 1 : un volcan');
    });
  });
});
