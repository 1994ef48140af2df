package com.reetik.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/**
 * The packaged server as its own process, for the kill tests: {@code serve} from the application the build unpacks
 * beside the jar ({@code target/reetik/reetik.jar}, what {@code bin/reetik} runs), which starts a few seconds
 * sooner than {@code java -jar target/reetik.jar} (no nested-jar class loading) and holds the same classes.
 * {@code GenerateCommandIT} runs the fat jar itself.
 */
final class ServeProcess {

    private static final Path JAR = Path.of("target", "reetik", "reetik.jar");
    private static final String PASSWORD = "correct horse battery";

    private ServeProcess() {
    }

    /** Starts {@code serve} on {@code port} with its data under {@code dataDir/data}, its output appended to {@code out}. */
    static Process start(Path dataDir, int port, Path out, Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx768m", "-XX:TieredStopAtLevel=1", "-jar",
                JAR.toAbsolutePath().toString(), "serve")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        builder.environment().put("REETIK_DATA_DIR", dataDir.resolve("data").toString());
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        builder.environment().put("REETIK_PARTITIONS", "3");
        builder.environment().put("REETIK_LOCAL_RESOLUTION", "360p"); // as RunningServer: the quicker draft
        builder.environment().put("REETIK_PASSWORD_ITERATIONS", "1000"); // as RunningServer
        builder.environment().putAll(env);
        return builder.start();
    }

    static String register(ApiClient api, String email) throws Exception {
        HttpResponse<String> response = api.post("/api/auth/register", null,
                Map.of("email", email, "password", PASSWORD), Map.of());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return ApiClient.json(response).get("access_token").asText();
    }

    static String login(ApiClient api, String email) throws Exception {
        HttpResponse<String> response = api.post("/api/auth/login", null,
                Map.of("email", email, "password", PASSWORD), Map.of());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ApiClient.json(response).get("access_token").asText();
    }
}
