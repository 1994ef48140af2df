package com.reetik.deploycheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checked files are: the repository root, found from this module's directory. */
final class Repository {

    private Repository() {
    }

    static Path root() {
        Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            Path pom = candidate.resolve("pom.xml");
            if (Files.isRegularFile(pom) && read(pom).contains("<artifactId>reetik-parent</artifactId>")
                    && Files.isDirectory(candidate.resolve("deploy-check"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("No Reetik root pom.xml (artifactId reetik-parent) above " + dir);
    }

    static Path file(String relative) {
        Path path = root().resolve(relative);
        if (!Files.exists(path)) {
            throw new IllegalStateException(relative + " is missing at the repository root " + root());
        }
        return path;
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
