package com.reetik.contracts.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** Objects as files under one folder ({@code REETIK_DATA_DIR/videos} by default). */
public final class LocalObjectStore implements ObjectStore {

    private final Path root;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root) || key.isBlank()) {
            throw new IllegalArgumentException("object key outside the store: " + key);
        }
        return path;
    }

    @Override
    public String put(String key, Path file) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        if (!file.toAbsolutePath().normalize().equals(target)) {
            Path tmp = Files.createTempFile(target.getParent(), ".put-", ".part");
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return uri(key);
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public Optional<Path> localFile(String key) {
        Path path = resolve(key);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    @Override
    public int deleteFolder(String folder) throws IOException {
        Path dir = resolve(folder);
        if (dir.equals(root) || !Files.isDirectory(dir)) {
            return 0;
        }
        int[] deleted = {0};
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs)
                    throws IOException {
                if (Files.deleteIfExists(file) && !file.getFileName().toString().endsWith(".part")) {
                    deleted[0]++;
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return deleted[0];
    }

    @Override
    public String uri(String key) {
        return resolve(key).toUri().toString();
    }

    @Override
    public Optional<String> keyOf(String uri) {
        try {
            Path path = Path.of(URI.create(uri)).toAbsolutePath().normalize();
            return path.startsWith(root) ? Optional.of(root.relativize(path).toString().replace('\\', '/')) : Optional.empty();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Optional.empty();
        }
    }
}
