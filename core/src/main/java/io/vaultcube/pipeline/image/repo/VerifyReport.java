package io.vaultcube.pipeline.image.repo;

import java.util.List;

/**
 * What {@code vault images verify} found.
 *
 * @param versions versions verified completely
 * @param files image files re-hashed
 * @param bytes bytes re-hashed
 * @param problems each mismatch, missing file, broken channel (any makes the repository fail)
 * @param notes things worth knowing that are not damage (stale staging, unaudited versions)
 */
public record VerifyReport(int versions, int files, long bytes, List<String> problems, List<String> notes) {
    public VerifyReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
