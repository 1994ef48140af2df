package com.reetik.standalone;

import com.reetik.contracts.command.CreateVideo;
import com.reetik.contracts.json.Json;
import com.reetik.contracts.status.AspectRatio;
import com.reetik.contracts.status.Language;
import com.reetik.contracts.status.Status;
import com.reetik.contracts.status.Style;
import com.reetik.contracts.status.VideoIds;
import com.reetik.contracts.status.VideoRequest;
import com.reetik.contracts.status.VideoStatus;
import com.reetik.contracts.storage.ObjectKeys;
import com.reetik.contracts.topic.Topics;
import com.reetik.gateway.command.CommandPublisher;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import com.reetik.gateway.video.EstimateProperties;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Makes one video with the embedded stack, showing its progress, and writes it to a file. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate one video from a theme and write the MP4 to a file (local preview agents: "
                + "real H.264/AAC video rendered with ffmpeg, no AI).")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "THEME", description = "What the video is about, 3 to 500 characters.")
    String theme;

    @Option(names = "--duration", defaultValue = "36", description = "Target duration in seconds, 8 to 180 (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--language", defaultValue = "fr", description = "fr or en (default: ${DEFAULT-VALUE}).")
    String language;

    @Option(names = "--style", defaultValue = "informative",
            description = "informative, storytelling, humorous, inspirational or promotional (default: ${DEFAULT-VALUE}).")
    String style;

    @Option(names = "--aspect-ratio", defaultValue = "9:16", description = "9:16 or 16:9 (default: ${DEFAULT-VALUE}).")
    String aspectRatio;

    @Option(names = "--subtitles", defaultValue = "none",
            description = "none or burned: subtitles drawn into the picture as well (default: ${DEFAULT-VALUE}; "
                    + "the .srt and .vtt files are written either way).")
    String subtitles;

    @Option(names = "--transition", defaultValue = "cut",
            description = "cut or fade: a half-second crossfade between blocks, the picture encoded again "
                    + "(default: ${DEFAULT-VALUE}, with the sound faded for 30 ms at each cut).")
    String transition;

    @Option(names = {"-o", "--output"}, description = "Where to write the MP4 (default: <theme>.mp4 here).")
    Path output;

    @Option(names = "--timeout", defaultValue = "PT30M", description = "Give up after this long (ISO-8601, default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /**
     * What the video will be cut into and cost, said before anything starts (with paid agents, before anything is
     * paid): the gateway's estimate, from the same {@code REETIK_BLOCK_SECONDS}, {@code REETIK_PRICE_PER_SECOND} and
     * {@code REETIK_CURRENCY}.
     */
    static String estimate(VideoRequest request, Map<String, String> env) {
        String blockSeconds = env.get("REETIK_BLOCK_SECONDS");
        String price = env.get("REETIK_PRICE_PER_SECOND");
        EstimateProperties settings = new EstimateProperties(
                blockSeconds == null || blockSeconds.isBlank() ? null : Integer.valueOf(blockSeconds.trim()),
                price == null || price.isBlank() ? null : new java.math.BigDecimal(price.trim()),
                env.get("REETIK_CURRENCY"));
        int duration = request.targetDuration();
        String what = "Estimation : " + settings.blocks(duration) + " blocs de " + settings.blockSeconds() + " s, "
                + settings.generatedSeconds(duration) + " s générées, ";
        return settings.pricePerSecond().signum() == 0 ? what + "sans coût (REETIK_PRICE_PER_SECOND = 0)"
                : what + "coût estimé " + settings.cost(duration).toPlainString() + " " + settings.currency()
                        + " (REETIK_PRICE_PER_SECOND = " + settings.pricePerSecond().toPlainString() + ")";
    }

    @Override
    public Integer call() throws Exception {
        VideoRequest request = validated();
        PrintStream err = System.err;
        StandaloneSettings settings = StandaloneSettings.fromEnvironment(System.getenv());
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        bar.note(estimate(request, System.getenv()));
        bar.note("Démarrage du pipeline local (Kafka embarqué, données dans " + settings.dataDir() + ")…");
        try (StandaloneStack stack = new StandaloneStack(settings).start();
             CommandPublisher publisher = CommandPublisher.connect(stack.bootstrapServers());
             KafkaConsumer<String, byte[]> statuses = statusConsumer(stack.bootstrapServers())) {
            Instant now = Instant.now();
            String videoId = VideoIds.newId(theme, now);
            TopicPartition partition = partitionOf(statuses, videoId);
            statuses.assign(List.of(partition));
            statuses.seekToEnd(List.of(partition));
            statuses.position(partition);
            publisher.publish(new CreateVideo(UUID.randomUUID().toString(), videoId, "local-cli", now, request, null))
                    .get(30, TimeUnit.SECONDS);
            bar.note("Vidéo " + videoId);
            VideoStatus last = follow(statuses, videoId, bar);
            if (last == null) {
                bar.finish();
                err.println("Erreur : la vidéo " + videoId + " n'est pas terminée après " + timeout
                        + " (journal : " + settings.dataDir().resolve("logs/reetik.log") + ")");
                return 1;
            }
            bar.finish();
            if (last.statusEnum() == Status.COMPLETED) {
                Path source = stack.store().keyOf(last.finalUrl()).flatMap(k -> {
                    try {
                        return stack.store().localFile(k);
                    } catch (java.io.IOException e) {
                        return java.util.Optional.empty();
                    }
                }).orElseThrow(() -> new IllegalStateException("final video not found at " + last.finalUrl()));
                Path target = (output != null ? output : Path.of(VideoIds.slug(theme) + ".mp4")).toAbsolutePath();
                if (target.getParent() != null) {
                    Files.createDirectories(target.getParent());
                }
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                // the subtitles beside it, as players look for them: volcans.mp4 → volcans.srt
                Optional<Path> captions = stack.store().localFile(ObjectKeys.captions(videoId, "srt"));
                if (captions.isPresent()) {
                    String name = target.getFileName().toString();
                    Files.copy(captions.get(), target.resolveSibling((name.toLowerCase(Locale.ROOT).endsWith(".mp4")
                            ? name.substring(0, name.length() - 4) : name) + ".srt"), StandardCopyOption.REPLACE_EXISTING);
                }
                boolean english = Language.ofOrFrench(language) == Language.EN;
                System.out.printf(Locale.ROOT, english ? "%s: %s (%.1f s, %d blocks)%n" : "%s : %s (%.1f s, %d blocs)%n",
                        last.currentStep(), target, last.durationS() == null ? 0.0 : last.durationS(),
                        last.totalBlocks());
                return 0;
            }
            String message = last.error() != null ? last.error().message() + " (étape : " + last.error().stage() + ")"
                    : last.currentStep();
            err.println("Erreur : " + message);
            if (last.error() != null && last.error().detail() != null) {
                err.println("Détail : " + last.error().detail());
            }
            return 1;
        }
    }

    private VideoStatus follow(KafkaConsumer<String, byte[]> statuses, String videoId, ProgressBar bar) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long version = 0;
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : statuses.poll(Duration.ofMillis(200))) {
                if (!videoId.equals(record.key()) || record.value() == null) {
                    continue;
                }
                VideoStatus view = Json.read(record.value(), VideoStatus.class);
                if (view.version() <= version) {
                    continue;
                }
                version = view.version();
                bar.show(view.progress(), view.currentStep());
                if (view.terminal()) {
                    return view;
                }
            }
        }
        return null;
    }

    private VideoRequest validated() {
        String t = theme == null ? "" : theme.trim();
        if (t.length() < 3 || t.length() > 500) {
            throw new ParameterException(spec.commandLine(), "THEME must be 3 to 500 characters");
        }
        if (duration < 8 || duration > 180) {
            throw new ParameterException(spec.commandLine(), "--duration must be from 8 to 180 seconds, not " + duration);
        }
        if (Language.fromCode(language).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--language must be one of " + Language.codes());
        }
        if (Style.fromWire(style).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--style must be one of " + Style.wireNames());
        }
        if (AspectRatio.fromWire(aspectRatio).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--aspect-ratio must be one of " + AspectRatio.wireNames());
        }
        if (!VideoRequest.SUBTITLES.contains(subtitles)) {
            throw new ParameterException(spec.commandLine(), "--subtitles must be one of " + VideoRequest.SUBTITLES);
        }
        if (!VideoRequest.TRANSITIONS.contains(transition)) {
            throw new ParameterException(spec.commandLine(), "--transition must be one of " + VideoRequest.TRANSITIONS);
        }
        return new VideoRequest(t, duration, style, language, aspectRatio, subtitles, transition);
    }

    private static KafkaConsumer<String, byte[]> statusConsumer(String servers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The partition the producer's default partitioner picks for this key. */
    private static TopicPartition partitionOf(KafkaConsumer<String, byte[]> consumer, String key) {
        List<PartitionInfo> partitions = consumer.partitionsFor(Topics.VIDEO_STATUS.name());
        int p = Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions.size();
        return new TopicPartition(Topics.VIDEO_STATUS.name(), p);
    }
}
