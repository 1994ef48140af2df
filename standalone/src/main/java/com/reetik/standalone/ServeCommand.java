package com.reetik.standalone;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

/** Runs the whole product: the pipeline and the HTTP gateway on SERVER_PORT, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the API server (gateway, bridge with local preview agents, projector, embedded Kafka) "
                + "on SERVER_PORT (default 8080), data in REETIK_DATA_DIR (default ./reetik-data).")
final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Override
    public Integer call() throws Exception {
        StandaloneSettings settings = StandaloneSettings.fromEnvironment(System.getenv());
        StandaloneStack stack = new StandaloneStack(settings).start();
        try {
            stack.startGateway();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Stopping Reetik");
            stack.close(); // the gateway first: the stack stops what it started in reverse order
            stopped.countDown();
        }, "reetik-shutdown"));
        if ("local".equals(System.getenv().getOrDefault("REETIK_AGENTS", "local"))) {
            // the local preview renders on these cores: the JIT compiles in what the renders leave
            CompilerThreads.lowerPriority();
        }
        log.info("Reetik is serving on http://localhost:{}/ (data in {})", settings.serverPort(), settings.dataDir());
        stopped.await();
        return 0;
    }
}
