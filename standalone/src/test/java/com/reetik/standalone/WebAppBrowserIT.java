package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web app in a real browser: Debian's Chromium driven by playwright-core ({@code web/e2e/browser.e2e.mjs})
 * against a real {@code serve} on the local preview agents. The script signs up, creates an 8 s video, watches it
 * to "Terminé", plays and downloads it from the library, checks that a second user does not see it, takes
 * screenshots of each page on a desktop and a phone-sized screen ({@code target/screenshots/}), then asks this
 * test to restart the server with {@code REETIK_LOCAL_FAILURE_RATE=1} (a video made to fail shows the seed's
 * message) and again with 0 (its retry completes). Restarts keep the port and the data directory, as a redeploy
 * would: the browser keeps its session.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WebAppBrowserIT {

    private static final Path WEB = Path.of("..", "web").toAbsolutePath().normalize();
    private static final Path SCRIPT = WEB.resolve("e2e").resolve("browser.e2e.mjs");
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final java.time.Duration SCRIPT_DEADLINE = java.time.Duration.ofMinutes(8);
    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");

    @TempDir
    Path dataDir;

    @Test
    void shouldCreateWatchPlayDownloadAndRetryVideosInARealBrowser() throws Exception {
        assertThat(Path.of(CHROMIUM)).as("Chromium for the browser test (apt-get install chromium)").isExecutable();
        assertThat(WEB.resolve("node_modules").resolve("playwright-core"))
                .as("playwright-core, installed by the web module's npm ci").isDirectory();
        int port = RunningServer.freePort();
        Map<String, String> env = Map.of("SERVER_PORT", String.valueOf(port), "REETIK_MAX_ATTEMPTS", "2",
                "REETIK_LOCAL_FAILURE_RATE", "0");
        RunningServer server = RunningServer.start(dataDir, env, UnaryOperator.identity());
        List<String> output = new ArrayList<>();
        Process browser = start(port);
        // A script that hangs must not hang the build: its output ends when it is killed, and the test fails.
        Process watched = browser;
        Thread watchdog = new Thread(() -> {
            try {
                if (!watched.waitFor(SCRIPT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.out.println("browser script still running after " + SCRIPT_DEADLINE + ": killed");
                    watched.descendants().forEach(ProcessHandle::destroyForcibly);
                    watched.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "browser-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(browser.getInputStream(),
                    StandardCharsets.UTF_8));
                 Writer answers = new OutputStreamWriter(browser.getOutputStream(), StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    System.out.println(line);
                    output.add(line);
                    if (line.startsWith("STEP ")) {
                        String failureRate = switch (line.substring(5).trim()) {
                            case "fail-every-clip" -> "1";
                            case "render-again" -> "0";
                            default -> throw new AssertionError("unknown step: " + line);
                        };
                        server.close();
                        server = RunningServer.start(dataDir, Map.of("SERVER_PORT", String.valueOf(port),
                                "REETIK_MAX_ATTEMPTS", "2", "REETIK_LOCAL_FAILURE_RATE", failureRate),
                                UnaryOperator.identity());
                        answers.write("ok\n");
                        answers.flush();
                    }
                }
            }
            assertThat(browser.waitFor(30, TimeUnit.SECONDS)).as("the browser script ended").isTrue();
            assertThat(browser.exitValue()).as("browser script exit code; its output:%n%s", String.join("\n", output))
                    .isZero();
            assertThat(output).contains("BROWSER TEST PASSED");
            assertThat(TARGET.resolve("screenshots").resolve("progress-desktop.png")).isNotEmptyFile();
            assertThat(TARGET.resolve("screenshots").resolve("library-phone.png")).isNotEmptyFile();
        } finally {
            watchdog.interrupt();
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
            server.close();
        }
    }

    private static Process start(int port) throws IOException {
        Files.createDirectories(TARGET.resolve("screenshots"));
        ProcessBuilder builder = new ProcessBuilder("node", SCRIPT.toString())
                .directory(WEB.toFile())
                .redirectErrorStream(true);
        builder.environment().put("BASE_URL", "http://127.0.0.1:" + port);
        builder.environment().put("SCREENSHOT_DIR", TARGET.resolve("screenshots").toString());
        builder.environment().put("DOWNLOAD_DIR", TARGET.resolve("browser-downloads").toString());
        builder.environment().put("CHROMIUM", CHROMIUM);
        return builder.start();
    }
}
