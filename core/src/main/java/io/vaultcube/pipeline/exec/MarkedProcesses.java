package io.vaultcube.pipeline.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The processes that carry a mark in their environment ({@code NAME=VALUE}), found through
 * {@code /proc}: a child inherits its parent's environment, so a mark set on the first process of
 * a run finds every process it started, even one that started a session of its own and was
 * re-parented away. Only processes this user may read are found; none where there is no /proc.
 */
public final class MarkedProcesses {
    private static final Path PROC = Paths.get("/proc");

    private MarkedProcesses() {
    }

    /** The pids of the live processes whose environment holds exactly {@code name=value}. */
    public static List<Long> find(String name, String value) {
        List<Long> pids = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return pids;
        }
        byte[] marker = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    byte[] environ = Files.readAllBytes(entry.resolve("environ"));
                    if (containsEntry(environ, marker)) {
                        pids.add(Long.parseLong(entry.getFileName().toString()));
                    }
                } catch (IOException | NumberFormatException | SecurityException e) {
                    // Gone meanwhile, or not ours to read.
                }
            }
        } catch (IOException e) {
            // No /proc to scan.
        }
        return pids;
    }

    /** True when the NUL-separated environment holds exactly the entry {@code marker}. */
    private static boolean containsEntry(byte[] environ, byte[] marker) {
        int start = 0;
        for (int i = 0; i <= environ.length; i++) {
            if (i == environ.length || environ[i] == 0) {
                if (i - start == marker.length && Arrays.equals(environ, start, i, marker, 0, marker.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }
}
