package io.vaultcube.jenkins.agent;

import io.vaultcube.pipeline.run.stress.DetachedSoak;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The jars a detached soak's supervisor runs on ({@link DetachedSoak#supervisorClasses()}): read
 * on the controller, where the plugin's classes are files, and written on the agent beside the
 * workspace ({@code WORKSPACE@tmp/vault-soak-lib/}), since on an agent the classes come over the
 * channel and are no files a second JVM could load. A class directory (a development build) is
 * sent as a jar of it.
 */
public final class SupervisorJars implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<Jar> jars;

    private SupervisorJars(List<Jar> jars) {
        this.jars = List.copyOf(jars);
    }

    /** One jar: its content's SHA-256 names it, so that a jar already on the agent is not written again. */
    record Jar(String name, byte[] bytes) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** The supervisor's jars as this JVM (the controller) loads them. */
    public static SupervisorJars ofThisJvm() throws IOException {
        List<Jar> jars = new ArrayList<>();
        for (Class<?> c : DetachedSoak.supervisorClasses()) {
            Path source;
            try {
                source = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
            } catch (URISyntaxException | RuntimeException e) {
                throw new IOException("cannot find the jar of " + c.getName() + " to run the detached soak with", e);
            }
            byte[] bytes = Files.isDirectory(source) ? jarOf(source) : Files.readAllBytes(source);
            jars.add(new Jar(sha256(bytes) + ".jar", bytes));
        }
        return new SupervisorJars(jars);
    }

    /** Writes the jars into {@code dir} (those not there yet) and returns the classpath. */
    List<Path> install(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> classpath = new ArrayList<>();
        for (Jar j : jars) {
            Path target = dir.resolve(j.name());
            if (!Files.isRegularFile(target) || Files.size(target) != j.bytes().length) {
                Path tmp = Files.createTempFile(dir, ".jar-", ".tmp");
                Files.write(tmp, j.bytes());
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            classpath.add(target);
        }
        return classpath;
    }

    private static byte[] jarOf(Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                zip.putNextEntry(new ZipEntry(dir.relativize(f).toString().replace('\\', '/')));
                zip.write(Files.readAllBytes(f));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
