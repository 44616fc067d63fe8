package io.vaultcube.jenkins.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The secrets of one call, in memory on the agent, for as long as the core's settings are built.
 * Deliberately not {@code Serializable}: nothing may write it anywhere.
 *
 * @param values Packer sensitive variables by name
 * @param privateKey the SSH private key (OpenSSH or PEM text), or null
 * @param passphrase the key's passphrase, or null
 */
public record AgentSecrets(Map<String, String> values, String privateKey, String passphrase) {

    public AgentSecrets {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static AgentSecrets none() {
        return new AgentSecrets(Map.of(), null, null);
    }

    /**
     * Reads the staged files and removes their directory at once, before anything runs, so that no
     * secret stays on the agent's disk for the length of a build.
     */
    public static AgentSecrets take(StagedSecrets staged) throws IOException {
        if (staged == null || staged.isEmpty()) {
            return none();
        }
        Path dir = Path.of(staged.directory());
        try {
            Map<String, String> values = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : staged.values().entrySet()) {
                values.put(e.getKey(), read(e.getValue()));
            }
            return new AgentSecrets(values, staged.privateKey() == null ? null : read(staged.privateKey()),
                    staged.passphrase() == null ? null : read(staged.passphrase()));
        } finally {
            deleteTree(dir);
        }
    }

    private static String read(String file) throws IOException {
        return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    }

    /** Removes a directory tree; a file without write permission (0400) is removable from a 0700 directory. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
