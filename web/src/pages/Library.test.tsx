import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { VideoSummary } from '../services/api';
import { callsTo, json, renderPage, stubFetch } from '../test/helpers';
import { Library } from './Library';

function summary(id: string, overrides: Partial<VideoSummary> = {}): VideoSummary {
  return {
    video_id: id,
    theme: `Thème ${id}`,
    status: 'completed',
    current_step: 'Terminé',
    progress: 100,
    total_blocks: 5,
    completed_blocks: 5,
    created_at: '2025-11-30T10:00:00Z',
    updated_at: '2025-11-30T10:05:00Z',
    final_url: 'file:///videos/x.mp4',
    duration_s: 40,
    idempotency_key: null,
    version: 12,
    final_version: 1,
    ...overrides,
  };
}

function renderLibrary(url = '/library') {
  sessionStorage.setItem('reetik.token', 'tok');
  return renderPage(<Library />, { path: '/library', url });
}

describe('Library', () => {
  it('lists the videos with poster, status, duration and actions', async () => {
    const fetch = stubFetch((url) => {
      if (url.includes('/media-token')) {
        return json(200, { media_token: 'mt', expires_in: 300 });
      }
      if (url.includes('/retry')) {
        return json(202, { video_id: 'b', status: 'queued', status_url: '', events_url: '' });
      }
      return json(200, {
        videos: [
          summary('a', { language: 'en' }),
          summary('b', { status: 'failed', current_step: 'Erreur', final_url: null, duration_s: null }),
        ],
        page: 0,
        size: 12,
        total: 2,
      });
    });
    const user = userEvent.setup();
    renderLibrary();

    const items = await screen.findAllByTestId('library-item');
    expect(items.map((item) => item.dataset.videoId)).toEqual(['a', 'b']);
    expect(callsTo(fetch, '/api/videos?')[0]?.[0]).toBe('/api/videos?page=0&size=12');

    const done = within(items[0] as HTMLElement);
    const poster = await done.findByRole('img', { name: 'Image de la vidéo « Thème a »' });
    expect(poster).toHaveAttribute('src', '/api/videos/a/poster?media_token=mt&v=1');
    expect(done.getByText('40 s')).toBeInTheDocument();
    expect(done.getByRole('link', { name: 'Télécharger' })).toHaveAttribute(
      'href',
      '/api/videos/a/file?media_token=mt&download=1&v=1',
    );
    expect(done.getByRole('link', { name: 'Voir le suivi' })).toHaveAttribute('href', '/videos/a');
    await user.click(done.getByRole('button', { name: 'Lire' }));
    expect(items[0]?.querySelector('video')).toHaveAttribute('src', '/api/videos/a/file?media_token=mt&v=1');
    expect(items[0]?.querySelector('video track')).toHaveAttribute(
      'src',
      '/api/videos/a/captions.vtt?media_token=mt&v=1',
    );
    expect(items[0]?.querySelector('video track')).toHaveAttribute('srclang', 'en');

    const failed = within(items[1] as HTMLElement);
    expect(failed.getByTestId('library-status')).toHaveTextContent('Erreur');
    expect(failed.queryByRole('link', { name: 'Modifier' })).not.toBeInTheDocument();
    expect(failed.queryByRole('img')).not.toBeInTheDocument();
    await user.click(failed.getByRole('button', { name: 'Réessayer' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/videos/b'));
    expect(callsTo(fetch, '/api/videos/b/retry')).toHaveLength(1);
  });

  it('pages through the library 12 at a time', async () => {
    const fetch = stubFetch((url) => {
      const page = Number(new URL(url, 'http://x').searchParams.get('page'));
      return json(200, { videos: [summary(`p${page}`)], page, size: 12, total: 30 });
    });
    const user = userEvent.setup();
    renderLibrary();

    expect(await screen.findByText('Page 1 sur 3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Précédent' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Suivant' }));

    expect(await screen.findByText('Page 2 sur 3')).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/library?page=2');
    await waitFor(() => expect(screen.getByTestId('library-item')).toHaveAttribute('data-video-id', 'p1'));
    expect(callsTo(fetch, '/api/videos?').map(([url]) => url)).toEqual([
      '/api/videos?page=0&size=12',
      '/api/videos?page=1&size=12',
    ]);
  });

  it('deletes a video once the user confirms, and offers to make another like it', async () => {
    const fetch = stubFetch((url, init) => {
      if (url.includes('/media-token')) {
        return json(200, { media_token: 'mt', expires_in: 300 });
      }
      if (init.method === 'DELETE') {
        return new Response(null, { status: 204 });
      }
      return json(200, { videos: [summary('a'), summary('b')], page: 0, size: 12, total: 2 });
    });
    const confirm = vi.spyOn(window, 'confirm');
    const user = userEvent.setup();
    renderLibrary();
    const items = await screen.findAllByTestId('library-item');
    const second = within(items[1] as HTMLElement);
    expect(second.getByRole('link', { name: 'Créer une vidéo similaire' })).toHaveAttribute('href', '/create?like=b');

    // A user who changes their mind deletes nothing
    confirm.mockReturnValueOnce(false);
    await user.click(second.getByRole('button', { name: 'Supprimer' }));
    expect(callsTo(fetch).filter(([, init]) => init.method === 'DELETE')).toHaveLength(0);

    // Confirmed, the video is deleted and leaves the list
    confirm.mockReturnValueOnce(true);
    await user.click(second.getByRole('button', { name: 'Supprimer' }));
    expect(confirm).toHaveBeenLastCalledWith(expect.stringContaining('« Thème b »'));
    await waitFor(() =>
      expect(screen.getAllByTestId('library-item').map((item) => item.dataset.videoId)).toEqual(['a']),
    );
    const deletes = callsTo(fetch).filter(([, init]) => init.method === 'DELETE');
    expect(deletes.map(([url]) => url)).toEqual(['/api/videos/b']);
    confirm.mockRestore();
  });

  it('offers to edit a completed video, shows its version, and keeps a video being edited playable', async () => {
    stubFetch((url) => {
      if (url.includes('/media-token')) {
        return json(200, { media_token: 'mt', expires_in: 300 });
      }
      return json(200, {
        videos: [
          summary('a', { final_version: 3 }),
          summary('b', {
            status: 'generating_parallel',
            current_step: 'Modification du bloc 2',
            progress: 40,
            final_version: 2,
          }),
          summary('c'),
          summary('d', { status: 'assembling', current_step: 'Assemblage', progress: 90, final_url: null, final_version: null }),
        ],
        page: 0,
        size: 12,
        total: 4,
      });
    });
    const user = userEvent.setup();
    renderLibrary();
    const items = await screen.findAllByTestId('library-item');
    const [edited, editing, first, running] = items.map((item) => within(item));

    // a completed video: a link to its progress page, where its blocks can be edited, and its version
    expect(edited?.getByRole('link', { name: 'Modifier' })).toHaveAttribute('href', '/videos/a#blocks');
    expect(edited?.getByText('v3')).toHaveAttribute('title', 'Version 3 (après 2 modifications)');
    expect(await edited!.findByRole('img')).toHaveAttribute('src', '/api/videos/a/poster?media_token=mt&v=3');
    // its first version has no badge
    expect(first?.getByRole('link', { name: 'Modifier' })).toHaveAttribute('href', '/videos/c#blocks');
    expect(first?.queryByText(/^v\d+$/)).not.toBeInTheDocument();

    // being edited: no edit link, but the previous version still plays and downloads
    expect(editing?.queryByRole('link', { name: 'Modifier' })).not.toBeInTheDocument();
    expect(editing?.getByText('v2')).toBeVisible();
    expect(editing?.getByTestId('library-status')).toHaveTextContent('Modification du bloc 2 (40 %)');
    expect(editing?.getByRole('link', { name: 'Télécharger' })).toHaveAttribute(
      'href',
      '/api/videos/b/file?media_token=mt&download=1&v=2',
    );
    await user.click(editing!.getByRole('button', { name: 'Lire' }));
    expect(items[1]?.querySelector('video')).toHaveAttribute('src', '/api/videos/b/file?media_token=mt&v=2');

    // a first generation still running has nothing to play
    expect(running?.queryByRole('button', { name: 'Lire' })).not.toBeInTheDocument();
    expect(running?.queryByRole('link', { name: 'Modifier' })).not.toBeInTheDocument();
    expect(running?.getByText('Pas encore d’image')).toBeVisible();
  });
});
