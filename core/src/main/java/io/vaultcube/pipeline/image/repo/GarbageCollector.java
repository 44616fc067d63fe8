package io.vaultcube.pipeline.image.repo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.image.ByteSizes;
import io.vaultcube.pipeline.image.ImageManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code vault images gc}: keeps the N newest versions of each image (by the manifests' creation
 * time) plus every version a channel points to, and removes the rest. A version leaves by an
 * atomic rename into the hidden trash, and only then is deleted, so a reader sees it complete or
 * not at all (files it already opened stay readable). The audit entry is written before the
 * rename, so a crash between the two is recorded back as "recovered" by the next writer.
 */
public final class GarbageCollector {
    private final Consumer<String> out;

    public GarbageCollector(Consumer<String> out) {
        this.out = out;
    }

    /** What gc did (or, in a dry run, would do). */
    public record Result(List<String> removed, List<String> kept, long bytesFreed, List<String> problems) {
    }

    public Result collect(ImageRepository repo, List<String> onlyImages, int keep, boolean dryRun, Actor actor,
            Duration lockTimeout) throws IOException, InterruptedException {
        if (keep < 0) {
            throw new IllegalArgumentException("--keep must be 0 or more: " + keep);
        }
        List<String> removed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long freed = 0;
        List<String> images = onlyImages.isEmpty() ? repo.images() : onlyImages.stream().map(Names::image).toList();
        for (String image : images) {
            if (!Files.isDirectory(repo.layout().image(image), LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isSymbolicLink(repo.layout().image(image))) {
                    throw Fs.refusedLink(repo.layout().image(image));
                }
                problems.add(image + ": no such image in " + repo.root());
                continue;
            }
            try (ImageRepository.WriterSession session = repo.lockForWriting(image, lockTimeout, out)) {
                if (!dryRun) {
                    session.reconcileAudit(actor);
                }
                try (var entries = Files.newDirectoryStream(repo.layout().image(image))) {
                    for (Path entry : entries) {
                        if (Files.isSymbolicLink(entry)) {
                            problems.add(Fs.describeLink(entry) + ": not the repository's; left alone (remove it and"
                                    + " run vault images verify)");
                        }
                    }
                }
                Map<String, Set<String>> channelsOf = new LinkedHashMap<>();
                repo.channels(image).forEach((channel, version) ->
                        channelsOf.computeIfAbsent(version, v -> new HashSet<>()).add(channel));
                List<ImageManifest> newestFirst = repo.manifestsNewestFirst(image, p -> problems.add(p + " (kept)"));
                int position = 0;
                for (ImageManifest m : newestFirst) {
                    position++;
                    String label = image + "/" + m.version();
                    Set<String> channels = channelsOf.getOrDefault(m.version(), Set.of());
                    if (position <= keep || !channels.isEmpty()) {
                        kept.add(label);
                        out.accept("keep    " + label + "  (" + (position <= keep ? "one of the " + keep + " newest" : "")
                                + (position <= keep && !channels.isEmpty() ? "; " : "")
                                + (channels.isEmpty() ? "" : "channel " + String.join(", ", new TreeSet<>(channels)))
                                + ")");
                        continue;
                    }
                    long size = m.totalSize();
                    if (dryRun) {
                        out.accept("would remove " + label + "  (" + ByteSizes.human(size) + ", created " + m.created() + ")");
                    } else {
                        remove(repo, session, actor, m);
                        out.accept("removed " + label + "  (" + ByteSizes.human(size) + ", created " + m.created() + ")");
                    }
                    removed.add(label);
                    freed += size;
                }
            }
        }
        return new Result(removed, kept, freed, problems);
    }

    private static void remove(ImageRepository repo, ImageRepository.WriterSession session, Actor actor,
            ImageManifest m) throws IOException, InterruptedException {
        RepositoryLayout layout = repo.layout();
        ObjectNode entry = Audit.entry(actor, "gc", m.name(), m.version(), "removed");
        Audit.files(entry, m.files());
        entry.put("gateReportSha256", m.gate().reportSha256());
        session.audit(entry);
        Path trash = layout.trash(m.name());
        Fs.createDirectories(trash);
        Path moved = trash.resolve(m.version() + "." + UUID.randomUUID());
        Fs.refuseLinks(layout.root(), layout.version(m.name(), m.version()));
        Fs.atomicRename(layout.version(m.name(), m.version()), moved);
        Fs.fsyncDirectory(layout.image(m.name()));
        Fs.deleteTree(moved);
        Fs.fsyncDirectory(trash);
    }
}
