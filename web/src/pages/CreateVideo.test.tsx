import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, callsTo, header, json, renderPage, stubFetch } from '../test/helpers';
import { CreateVideo, REFERENCE_IMAGE_MAX_BYTES } from './CreateVideo';

const ESTIMATE = { blocks: 5, block_seconds: 8, generated_seconds: 40, estimated_seconds: 150, cost: 0, currency: 'USD' };
const ACCEPTED = { video_id: 'v42', status: 'queued', status_url: '/api/videos/v42', events_url: '/api/videos/v42/events' };
/** The body the form sends for the theme "Les volcans d'Islande" with every other field left as it is. */
const DEFAULT_BODY = {
  theme: "Les volcans d'Islande",
  target_duration: 36,
  style: 'informative',
  language: 'fr',
  aspect_ratio: '9:16',
  subtitles: 'none',
  transition: 'cut',
};

function renderCreate() {
  sessionStorage.setItem('reetik.token', 'tok');
  return renderPage(<CreateVideo estimateDelayMs={10} />, { path: '/create', url: '/create' });
}

/** A small image file; the bytes are arbitrary (the server checks the real type). */
function imageFile(name: string, type: string, bytes: number[] = [137, 80, 78, 71, 1, 2, 3]): File {
  return new File([new Uint8Array(bytes)], name, { type });
}

function base64(bytes: number[]): string {
  return btoa(String.fromCharCode(...bytes));
}

function bodyOf(init: RequestInit): Record<string, unknown> {
  return JSON.parse(init.body as string) as Record<string, unknown>;
}

/** Only the create calls (POST /api/videos), not the estimates. */
function createCalls(fetch: ReturnType<typeof stubFetch>) {
  return callsTo(fetch).filter(([url]) => url.endsWith('/api/videos'));
}

describe('CreateVideo', () => {
  it('refuses a theme shorter than 3 characters without calling the API', async () => {
    const fetch = stubFetch(() => json(200, ESTIMATE));
    const user = userEvent.setup();
    renderCreate();

    await user.type(screen.getByLabelText('Thème'), 'ab');
    await user.click(screen.getByRole('button', { name: 'Créer la vidéo' }));

    const theme = screen.getByLabelText('Thème');
    expect(theme).toHaveAttribute('aria-invalid', 'true');
    expect(theme).toHaveAccessibleDescription(expect.stringContaining('Le thème doit comporter entre 3 et 500 caractères.'));
    expect(theme).toHaveFocus();
    expect(fetch).not.toHaveBeenCalled();
  });

  it.each(['7', '181', '20.5', ''])('refuses a duration of "%s" without creating the video', async (duration) => {
    const fetch = stubFetch(() => json(200, ESTIMATE));
    const user = userEvent.setup();
    renderCreate();

    await user.type(screen.getByLabelText('Thème'), "Les volcans d'Islande");
    const input = screen.getByLabelText('Durée cible (secondes)');
    await user.clear(input);
    if (duration) {
      await user.type(input, duration);
    }
    await user.click(screen.getByRole('button', { name: 'Créer la vidéo' }));

    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByText('La durée doit être un nombre entier entre 8 et 180 secondes.')).toBeVisible();
    expect(createCalls(fetch)).toHaveLength(0);
  });

  it('shows the number of blocks and the estimated time, the cost only when above zero', async () => {
    let cost = 0;
    const fetch = stubFetch(() => json(200, { ...ESTIMATE, cost, currency: 'EUR' }));
    const user = userEvent.setup();
    renderCreate();

    expect(screen.getByTestId('estimate')).toHaveTextContent('Complétez le formulaire');
    await user.type(screen.getByLabelText('Thème'), "Les volcans d'Islande");

    expect(await screen.findByTestId('estimate-blocks')).toHaveTextContent('5 blocs de 8 s');
    expect(screen.getByTestId('estimate-time')).toHaveTextContent('Temps de génération estimé : 2 min 30 s');
    expect(screen.queryByTestId('estimate-cost')).not.toBeInTheDocument();

    const [url, init] = callsTo(fetch, '/estimate').at(-1) as [string, RequestInit];
    expect(url).toBe('/api/videos/estimate');
    expect(JSON.parse(init.body as string)).toEqual(DEFAULT_BODY);

    cost = 1.5;
    await user.selectOptions(screen.getByLabelText("Format d'image"), '16:9');
    await waitFor(() => expect(screen.getByTestId('estimate-cost')).toHaveTextContent('Coût estimé : 1,50'));
    const [, last] = callsTo(fetch, '/estimate').at(-1) as [string, RequestInit];
    expect(JSON.parse(last.body as string)).toMatchObject({ aspect_ratio: '16:9' });
    expect(screen.queryByTestId('estimate-reencoded')).not.toBeInTheDocument();
  });

  it('says when a crossfade makes the assembly longer', async () => {
    const fetch = stubFetch((_url, init) =>
      json(200, {
        ...ESTIMATE,
        reencoded_assembly: (JSON.parse(init.body as string) as { transition?: string }).transition === 'fade',
      }),
    );
    const user = userEvent.setup();
    renderCreate();
    await user.type(screen.getByLabelText('Thème'), "Les volcans d'Islande");
    expect(await screen.findByTestId('estimate-blocks')).toBeInTheDocument();
    expect(screen.queryByTestId('estimate-reencoded')).not.toBeInTheDocument();

    await user.click(screen.getByLabelText('Fondu enchaîné entre les blocs'));

    expect(await screen.findByTestId('estimate-reencoded')).toHaveTextContent("L'image est réencodée à l'assemblage");
    const [, last] = callsTo(fetch, '/estimate').at(-1) as [string, RequestInit];
    expect(JSON.parse(last.body as string)).toMatchObject({ transition: 'fade' });
  });

  it("starts from another video's settings to make one like it", async () => {
    stubFetch((url) =>
      url.includes('/api/videos/v7')
        ? json(200, {
            video_id: 'v7',
            request: {
              theme: 'Les aurores boréales',
              target_duration: 24,
              style: 'humorous',
              language: 'en',
              aspect_ratio: '16:9',
              subtitles: 'burned',
              transition: 'fade',
            },
          })
        : json(200, ESTIMATE),
    );
    sessionStorage.setItem('reetik.token', 'tok');
    renderPage(<CreateVideo estimateDelayMs={10} />, { path: '/create', url: '/create?like=v7' });

    await waitFor(() => expect(screen.getByLabelText('Thème')).toHaveValue('Les aurores boréales'));
    expect(screen.getByLabelText('Durée cible (secondes)')).toHaveValue(24);
    expect(screen.getByLabelText('Style')).toHaveValue('humorous');
    expect(screen.getByLabelText('Langue de la vidéo')).toHaveValue('en');
    expect(screen.getByLabelText("Format d'image")).toHaveValue('16:9');
    expect(screen.getByLabelText("Incruster les sous-titres dans l'image")).toBeChecked();
    expect(screen.getByLabelText('Fondu enchaîné entre les blocs')).toBeChecked();
  });

  it('shows a server 400 next to the field it names', async () => {
    stubFetch((url) =>
      url.endsWith('/estimate')
        ? json(200, ESTIMATE)
        : apiError(400, 'invalid', 'theme must be 3 to 500 characters long.', 'theme'),
    );
    const user = userEvent.setup();
    renderCreate();

    await user.type(screen.getByLabelText('Thème'), 'abc');
    await user.click(screen.getByRole('button', { name: 'Créer la vidéo' }));

    const theme = screen.getByLabelText('Thème');
    await waitFor(() => expect(theme).toHaveAttribute('aria-invalid', 'true'));
    const errorId = theme.getAttribute('aria-describedby')?.split(' ')[0] ?? '';
    expect(document.getElementById(errorId)).toHaveTextContent('theme must be 3 to 500 characters long.');
    expect(screen.getByLabelText('Durée cible (secondes)')).toHaveAttribute('aria-invalid', 'false');
  });

  it('creates the video once with an Idempotency-Key and opens its progress page', async () => {
    const fetch = stubFetch((url) => (url.endsWith('/estimate') ? json(200, ESTIMATE) : json(202, ACCEPTED)));
    const user = userEvent.setup();
    renderCreate();

    await user.type(screen.getByLabelText('Thème'), "Les volcans d'Islande");
    await user.selectOptions(screen.getByLabelText('Style'), 'humorous');
    await user.selectOptions(screen.getByLabelText('Langue de la vidéo'), 'en');
    await user.click(screen.getByLabelText("Incruster les sous-titres dans l'image"));
    await user.click(screen.getByLabelText('Fondu enchaîné entre les blocs'));
    await user.dblClick(screen.getByRole('button', { name: 'Créer la vidéo' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/videos/v42'));
    const calls = createCalls(fetch);
    expect(calls).toHaveLength(1);
    const [, init] = calls[0] as [string, RequestInit];
    expect(header(init, 'Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(header(init, 'Authorization')).toBe('Bearer tok');
    expect(JSON.parse(init.body as string)).toEqual({
      theme: "Les volcans d'Islande",
      target_duration: 36,
      style: 'humorous',
      language: 'en',
      aspect_ratio: '9:16',
      subtitles: 'burned',
      transition: 'fade',
    });
  });

  it('sends the same Idempotency-Key again after a lost answer', async () => {
    let attempts = 0;
    const fetch = stubFetch((url) => {
      if (url.endsWith('/estimate')) {
        return json(200, ESTIMATE);
      }
      attempts++;
      if (attempts === 1) {
        throw new TypeError('Failed to fetch');
      }
      return json(202, ACCEPTED);
    });
    const user = userEvent.setup();
    renderCreate();

    await user.type(screen.getByLabelText('Thème'), "Les volcans d'Islande");
    await user.click(screen.getByRole('button', { name: 'Créer la vidéo' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Le serveur est injoignable');
    await user.click(screen.getByRole('button', { name: 'Créer la vidéo' }));

    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/videos/v42'));
    const [first, second] = createCalls(fetch).map(([, init]) => header(init, 'Idempotency-Key'));
    expect(first).toBeDefined();
    expect(second).toBe(first);
  });

  describe('reference images', () => {
    it('refuses a 4th image, and creates the video once one is removed', async () => {
      const fetch = stubFetch((url) => (url.endsWith('/estimate') ? json(200, ESTIMATE) : json(202, ACCEPTED)));
      const user = userEvent.setup();
      renderCreate();
      await user.type(screen.getByLabelText('Thème'), "Les volcans d'Islande");

      const input = screen.getByLabelText('Images de référence');
      await user.upload(input, ['a.png', 'b.png', 'c.png'].map((name) => imageFile(name, 'image/png')));
      expect(await screen.findByRole('img', { name: 'Image de référence 3' })).toBeInTheDocument();
      await user.upload(input, imageFile('d.png', 'image/png'));

      expect(await screen.findByTestId('video-reference-images-error')).toHaveTextContent(
        'Au plus 3 images de référence : vous en avez choisi 4, retirez-en 1.',
      );
      expect(input).toHaveAttribute('aria-invalid', 'true');
      await user.click(screen.getByRole('button', { name: 'Créer la vidéo' }));
      expect(input).toHaveFocus();
      expect(createCalls(fetch)).toHaveLength(0);
      const sentCounts = callsTo(fetch, '/estimate').map(([, init]) => (bodyOf(init).reference_images as unknown[] | undefined)?.length);
      expect(sentCounts).not.toContain(4);

      await user.click(screen.getByRole('button', { name: "Retirer l'image de référence 2" }));
      expect(screen.queryByTestId('video-reference-images-error')).not.toBeInTheDocument();
      expect(screen.getAllByRole('img', { name: /^Image de référence/ })).toHaveLength(3);
      await user.click(screen.getByRole('button', { name: 'Créer la vidéo' }));

      await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/videos/v42'));
      expect(createCalls(fetch)).toHaveLength(1);
      const [, init] = createCalls(fetch)[0] as [string, RequestInit];
      expect(bodyOf(init).reference_images).toHaveLength(3);
    });

    it.each([
      [
        'an image over 3 MB',
        () => new File([new Uint8Array(REFERENCE_IMAGE_MAX_BYTES + 1)], 'grand.png', { type: 'image/png' }),
        '« grand.png » dépasse 3 Mo',
      ],
      ['a GIF', () => imageFile('anim.gif', 'image/gif'), "« anim.gif » n'est pas une image PNG, JPEG ou WebP."],
    ])('refuses %s without sending it', async (_case, file, message) => {
      const fetch = stubFetch((url) => (url.endsWith('/estimate') ? json(200, ESTIMATE) : json(202, ACCEPTED)));
      const user = userEvent.setup({ applyAccept: false });
      renderCreate();
      await user.type(screen.getByLabelText('Thème'), "Les volcans d'Islande");

      await user.upload(screen.getByLabelText('Images de référence'), file());

      expect(await screen.findByTestId('video-reference-images-error')).toHaveTextContent(message);
      expect(screen.queryByRole('img', { name: /^Image de référence/ })).not.toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Créer la vidéo' }));
      expect(screen.getByLabelText('Images de référence')).toHaveAttribute('aria-invalid', 'true');
      expect(createCalls(fetch)).toHaveLength(0);
      expect(callsTo(fetch, '/estimate').every(([, init]) => bodyOf(init).reference_images === undefined)).toBe(true);
    });

    it('sends the chosen images as reference_images, base64, in the estimate and the create request', async () => {
      const png = [137, 80, 78, 71, 13, 10, 26, 10];
      const jpeg = [255, 216, 255, 224, 0, 16];
      const fetch = stubFetch((url) => (url.endsWith('/estimate') ? json(200, ESTIMATE) : json(202, ACCEPTED)));
      const user = userEvent.setup();
      renderCreate();
      await user.type(screen.getByLabelText('Thème'), "Les volcans d'Islande");

      await user.upload(screen.getByLabelText('Images de référence'), [
        imageFile('perso.png', 'image/png', png),
        imageFile('lieu.jpg', 'image/jpeg', jpeg),
      ]);

      const thumbnail = await screen.findByRole('img', { name: 'Image de référence 1' });
      expect(thumbnail).toHaveAttribute('src', `data:image/png;base64,${base64(png)}`);
      expect(screen.getByRole('img', { name: 'Image de référence 2' })).toHaveAttribute('title', 'lieu.jpg');
      const expected = [
        { mime_type: 'image/png', data: base64(png) },
        { mime_type: 'image/jpeg', data: base64(jpeg) },
      ];
      await waitFor(() =>
        expect(callsTo(fetch, '/estimate').map(([, init]) => bodyOf(init).reference_images)).toContainEqual(expected),
      );

      await user.click(screen.getByRole('button', { name: 'Créer la vidéo' }));
      await waitFor(() => expect(createCalls(fetch)).toHaveLength(1));
      const [, init] = createCalls(fetch)[0] as [string, RequestInit];
      expect(bodyOf(init)).toEqual({ ...DEFAULT_BODY, reference_images: expected });
    });

    it('shows a server 400 on reference_images next to the field', async () => {
      const message = 'The Cloud Run agents take no reference images: send the request without reference_images.';
      stubFetch((url) =>
        url.endsWith('/estimate') ? json(200, ESTIMATE) : apiError(400, 'invalid_request', message, 'reference_images'),
      );
      const user = userEvent.setup();
      renderCreate();
      await user.type(screen.getByLabelText('Thème'), "Les volcans d'Islande");
      const input = screen.getByLabelText('Images de référence');
      await user.upload(input, imageFile('perso.png', 'image/png'));
      await screen.findByRole('img', { name: 'Image de référence 1' });

      await user.click(screen.getByRole('button', { name: 'Créer la vidéo' }));

      expect(await screen.findByTestId('video-reference-images-error')).toHaveTextContent(message);
      expect(input).toHaveAttribute('aria-invalid', 'true');
      expect(input).toHaveFocus();
      expect(screen.getByLabelText('Thème')).toHaveAttribute('aria-invalid', 'false');

      // removing the image takes the server's message away with it
      await user.click(screen.getByRole('button', { name: "Retirer l'image de référence 1" }));
      expect(screen.queryByTestId('video-reference-images-error')).not.toBeInTheDocument();
    });
  });
});
