package com.reetik.standalone;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar reetik.jar serve | generate THEME …}: the standalone entry point. */
@Command(name = "reetik", mixinStandardHelpOptions = true, version = "reetik 0.1.0",
        description = "Reetik: themes in, short videos out. Runs the whole pipeline in one JVM (embedded Kafka).",
        subcommands = {ServeCommand.class, GenerateCommand.class, BenchRenderCommand.class})
public final class ReetikCli implements Runnable {

    public static void main(String[] args) {
        if (args.length > 0 && ("generate".equals(args[0]) || "bench-render".equals(args[0]))) {
            // Before any logger exists: keep the console for the progress bar or the figures; logs go to the
            // data directory.
            System.setProperty("reetik.console.level", "OFF");
        }
        int code = new CommandLine(new ReetikCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
