package io.vaultcube.pipeline.image;

import io.vaultcube.pipeline.exec.OutputSource;
import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import io.vaultcube.pipeline.exec.ProcessStartException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The commit of a git checkout: {@code git rev-parse HEAD} and {@code git status --porcelain}. */
public final class GitProvenance {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final ProcessRunner runner;

    public GitProvenance(ProcessRunner runner) {
        this.runner = runner;
    }

    /**
     * The checkout's commit, or null when {@code dir} is not in a git checkout or git is not
     * installed (said on {@code notes}).
     */
    public ImageManifest.Git read(Path dir, Consumer<String> notes) throws IOException, InterruptedException {
        if (!Files.isDirectory(dir)) {
            notes.accept("no git commit recorded: " + dir + " is not a directory");
            return null;
        }
        List<String> head = new ArrayList<>();
        ProcessResult rev;
        try {
            rev = run(dir, head, "git", "rev-parse", "--verify", "HEAD");
        } catch (ProcessStartException e) {
            notes.accept("no git commit recorded: " + e.getMessage());
            return null;
        }
        if (!rev.succeeded() || head.size() != 1 || !head.get(0).matches("[0-9a-f]{40}([0-9a-f]{24})?")) {
            notes.accept("no git commit recorded: " + dir + " is not in a git checkout with a commit");
            return null;
        }
        List<String> status = new ArrayList<>();
        ProcessResult st = run(dir, status, "git", "status", "--porcelain", "--untracked-files=no");
        Boolean dirty = st.succeeded() ? !status.isEmpty() : null;
        return new ImageManifest.Git(head.get(0), dirty);
    }

    private ProcessResult run(Path dir, List<String> stdout, String... argv) throws IOException, InterruptedException {
        ProcessResult result = runner.run(ProcessSpec.builder(argv)
                .workingDirectory(dir)
                .timeout(LIMIT)
                .graces(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .listener((source, line) -> {
                    if (source == OutputSource.STDOUT && !line.isBlank()) {
                        synchronized (stdout) {
                            stdout.add(line.strip());
                        }
                    }
                })
                .build());
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted while running git");
        }
        return result;
    }
}
