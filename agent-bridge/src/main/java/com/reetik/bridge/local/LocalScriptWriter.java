package com.reetik.bridge.local;

import com.reetik.contracts.event.ScriptBlock;
import com.reetik.contracts.status.AspectRatio;
import com.reetik.contracts.status.Language;
import com.reetik.contracts.status.Style;
import com.reetik.contracts.status.VideoRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The local preview's script: template sentences in French or English for each {@link Style}, no AI. A video of
 * {@code target} seconds gets {@code ceil(target / blockSeconds)} blocks: an introduction, middle lines cycling
 * through the style's sentences (with a different connector on each pass, so no two lines repeat) and a conclusion.
 */
public final class LocalScriptWriter {

    public static final int DEFAULT_BLOCK_SECONDS = 4;
    public static final List<Integer> ALLOWED_BLOCK_SECONDS = List.of(4, 6, 8);

    private record Templates(String intro, List<String> middles, String outro) {
    }

    private static final Map<Style, Templates> FRENCH = Map.of(
            Style.INFORMATIVE, new Templates(
                    "Découvrons ensemble : %s.",
                    List.of("Premier repère sur « %s » : quelques faits simples.",
                            "Les chiffres clés de « %s » surprennent souvent.",
                            "Un peu d'histoire aide à comprendre « %s ».",
                            "Sur le terrain, « %s », ça se voit à l'œil nu.",
                            "Les spécialistes étudient « %s » depuis des décennies.",
                            "Une idée reçue sur « %s » mérite d'être corrigée."),
                    "Vous en savez maintenant un peu plus sur « %s »."),
            Style.STORYTELLING, new Templates(
                    "Il était une fois… %s.",
                    List.of("Tout commence dans le silence, au cœur de « %s ».",
                            "Peu à peu, l'histoire de « %s » se dévoile.",
                            "Un voyageur s'arrête, fasciné par « %s ».",
                            "Puis vient le moment où tout bascule pour « %s ».",
                            "Chaque détail de « %s » raconte une aventure.",
                            "La nuit tombe sur « %s », gardienne de ses secrets."),
                    "Et l'histoire de « %s » continue de s'écrire."),
            Style.HUMOROUS, new Templates(
                    "Accrochez-vous, on parle de « %s » !",
                    List.of("Spoiler : « %s », c'est encore plus fou que prévu.",
                            "Même ma grand-mère a un avis sur « %s ».",
                            "Si « %s » avait un compte Instagram, ce serait une star.",
                            "Petit conseil : ne jamais sous-estimer « %s ».",
                            "On a tout vérifié : avec « %s », rien n'est fait à moitié.",
                            "Oui, « %s », ça existe vraiment, on n'invente rien."),
                    "Voilà, plus aucun secret sur « %s »… ou presque !"),
            Style.INSPIRATIONAL, new Templates(
                    "Laissez-vous inspirer par « %s ».",
                    List.of("Regardez « %s » : tout commence par un premier pas.",
                            "« %s » : une leçon de patience qui crée des merveilles.",
                            "Derrière « %s », il y a une force tranquille.",
                            "Osez regarder « %s » avec des yeux neufs.",
                            "Chaque jour, « %s » nous invite à aller plus loin.",
                            "La beauté de « %s » est à la portée de tous."),
                    "Et si « %s » devenait votre source d'élan ?"),
            Style.PROMOTIONAL, new Templates(
                    "Nouveau : vivez l'expérience « %s » !",
                    List.of("« %s » : une expérience unique, à portée de main.",
                            "Ce qui rend « %s » irrésistible ? Tout.",
                            "Des milliers de curieux craquent déjà pour « %s ».",
                            "Avec « %s », chaque instant compte.",
                            "Offre spéciale : plongez dans « %s » dès aujourd'hui.",
                            "« %s », c'est la qualité sans compromis."),
                    "Ne manquez pas « %s » : c'est maintenant !"));

    private static final Map<Style, Templates> ENGLISH = Map.of(
            Style.INFORMATIVE, new Templates(
                    "Let's discover together: %s.",
                    List.of("First landmark: a few simple facts about \"%s\".",
                            "The key numbers behind \"%s\" are surprising.",
                            "A little history helps explain \"%s\".",
                            "Out in the field, you can see \"%s\" with your own eyes.",
                            "Experts have studied \"%s\" for decades.",
                            "One common myth about \"%s\" deserves a fix."),
                    "Now you know a little more about \"%s\"."),
            Style.STORYTELLING, new Templates(
                    "Once upon a time… %s.",
                    List.of("It all begins in silence, at the heart of \"%s\".",
                            "Little by little, the story of \"%s\" unfolds.",
                            "A traveller stops, spellbound by \"%s\".",
                            "Then comes the moment everything changes for \"%s\".",
                            "Every detail of \"%s\" tells an adventure.",
                            "Night falls over \"%s\", keeper of secrets."),
                    "And the story of \"%s\" goes on."),
            Style.HUMOROUS, new Templates(
                    "Buckle up, we're talking about \"%s\"!",
                    List.of("Spoiler: \"%s\" is even wilder than expected.",
                            "Even my grandma has opinions about \"%s\".",
                            "If \"%s\" had Instagram, it would be famous.",
                            "Quick tip: never underestimate \"%s\".",
                            "We checked: with \"%s\", nothing is done by halves.",
                            "Yes, \"%s\" is real, we're not making it up."),
                    "There you go, no more secrets about \"%s\"… almost!"),
            Style.INSPIRATIONAL, new Templates(
                    "Let \"%s\" inspire you.",
                    List.of("Look at \"%s\": everything starts with a first step.",
                            "\"%s\": a lesson in patience that creates wonders.",
                            "Behind \"%s\" lies a quiet strength.",
                            "Dare to see \"%s\" with fresh eyes.",
                            "Every day, \"%s\" invites us to go further.",
                            "The beauty of \"%s\" is within everyone's reach."),
                    "What if \"%s\" became your source of momentum?"),
            Style.PROMOTIONAL, new Templates(
                    "New: experience \"%s\"!",
                    List.of("\"%s\": a unique experience, right at your fingertips.",
                            "What makes \"%s\" irresistible? Everything.",
                            "Thousands of curious minds already love \"%s\".",
                            "With \"%s\", every moment counts.",
                            "Special offer: dive into \"%s\" today.",
                            "\"%s\": quality without compromise."),
                    "Don't miss \"%s\": it's happening now!"));

    /** Prefixes of the middle lines on the 2nd, 3rd… pass through a style's sentences. */
    private static final List<String> FRENCH_CONNECTORS = List.of("", "Autre regard : ", "Encore mieux : ",
            "Zoom : ", "À noter : ", "Au passage : ", "Détail qui compte : ", "Et aussi : ", "Pour finir ce tour : ");
    private static final List<String> ENGLISH_CONNECTORS = List.of("", "Another angle: ", "Even better: ",
            "Zoom in: ", "Worth noting: ", "By the way: ", "A detail that matters: ", "Also: ", "One more: ");

    private static final List<String> SHOTS = List.of(
            "Wide aerial establishing shot of %s, golden hour light",
            "Slow dolly-in on a striking detail of %s",
            "Close-up with shallow depth of field showing the texture of %s",
            "Low-angle tracking shot moving through %s",
            "Time-lapse of light and clouds over %s",
            "Handheld point-of-view shot exploring %s",
            "Top-down drone shot revealing the patterns of %s",
            "Silhouette shot against the sky, evoking %s");

    private static final Map<Style, String> MOODS = Map.of(
            Style.INFORMATIVE, "clear documentary look, natural colors",
            Style.STORYTELLING, "cinematic, atmospheric, soft film grain",
            Style.HUMOROUS, "playful, bright saturated colors, quirky framing",
            Style.INSPIRATIONAL, "uplifting, warm light, epic scale",
            Style.PROMOTIONAL, "polished commercial look, crisp and vibrant");

    private final int blockSeconds;

    public LocalScriptWriter() {
        this(DEFAULT_BLOCK_SECONDS);
    }

    /** @param blockSeconds 4, 6 or 8 */
    public LocalScriptWriter(int blockSeconds) {
        if (!ALLOWED_BLOCK_SECONDS.contains(blockSeconds)) {
            throw new IllegalArgumentException("block length must be one of " + ALLOWED_BLOCK_SECONDS
                    + " seconds, not " + blockSeconds);
        }
        this.blockSeconds = blockSeconds;
    }

    public int blockSeconds() {
        return blockSeconds;
    }

    /** The number of blocks of a video of {@code targetDuration} seconds: {@code ceil(target / blockSeconds)}. */
    public int blockCount(int targetDuration) {
        if (targetDuration <= 0) {
            throw new IllegalArgumentException("target duration must be positive, not " + targetDuration);
        }
        return (targetDuration + blockSeconds - 1) / blockSeconds;
    }

    /** The blocks of the script, numbered from 1. Unknown style: informative; unknown language: French. */
    public List<ScriptBlock> write(VideoRequest request) {
        if (request == null || request.theme() == null || request.theme().isBlank()) {
            throw new IllegalArgumentException("a script needs a theme");
        }
        String theme = request.theme().strip();
        int count = blockCount(request.targetDuration());
        Style style = request.style() == null ? Style.INFORMATIVE : Style.fromWire(request.style()).orElse(Style.INFORMATIVE);
        boolean english = Language.ofOrFrench(request.language()) == Language.EN;
        Templates templates = (english ? ENGLISH : FRENCH).get(style);
        List<String> connectors = english ? ENGLISH_CONNECTORS : FRENCH_CONNECTORS;
        boolean landscape = AspectRatio.fromWire(request.aspectRatio()).orElse(AspectRatio.VERTICAL) == AspectRatio.LANDSCAPE;

        String brief = visualBrief(request);
        List<ScriptBlock> blocks = new ArrayList<>(count);
        for (int index = 1; index <= count; index++) {
            String narration;
            if (index == 1) {
                narration = templates.intro().formatted(theme);
            } else if (index == count) {
                narration = templates.outro().formatted(theme);
            } else {
                int middle = index - 2;
                int size = templates.middles().size();
                String connector = connectors.get((middle / size) % connectors.size());
                narration = connector + templates.middles().get(middle % size).formatted(theme);
            }
            String prompt = "Visual brief: " + brief + " Shot: "
                    + SHOTS.get((index - 1) % SHOTS.size()).formatted(theme) + ", " + MOODS.get(style)
                    + (landscape ? ", landscape 16:9 framing" : ", vertical 9:16 framing") + ", shot " + index + " of " + count;
            blocks.add(new ScriptBlock(index, prompt, capitalizeFirst(narration), blockSeconds));
        }
        return List.copyOf(blocks);
    }

    /**
     * The look every block of the video shares, written once and carried by every block's prompt: the palette the
     * local preview paints with ({@link LocalLook}, chosen from the theme), the setting, the camera.
     */
    public static String visualBrief(VideoRequest request) {
        String theme = request.theme().strip();
        Style style = request.style() == null ? Style.INFORMATIVE : Style.fromWire(request.style()).orElse(Style.INFORMATIVE);
        return "one look for every shot of " + theme + ": a palette of " + LocalLook.of(theme).name()
                + ", the same setting and light from shot to shot, smooth steady camera moves, "
                + MOODS.get(style) + ".";
    }

    private static String capitalizeFirst(String text) {
        return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + text.substring(1);
    }
}
