package io.vaultcube.pipeline.image.repo.s3;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.image.ByteSizes;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.repo.Actor;
import io.vaultcube.pipeline.image.repo.Audit;
import io.vaultcube.pipeline.image.repo.GarbageCollector;
import io.vaultcube.pipeline.image.repo.Names;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code vault images gc} for an S3 repository. Keeps the N newest versions of each image plus
 * every channel's; a removed version gets a tombstone and an audit event first, then its commit
 * records go (it is invisible from that moment), then its data. Also removes what interrupted
 * promotions left once it is older than {@code abandonedAfter}: multipart uploads (aborted),
 * unpublished attempts, losing commit records. There is no lock in S3, so that age is what tells
 * an abandoned upload from one in progress: it must exceed the longest promotion.
 */
public final class S3GarbageCollector {
    private final Consumer<String> out;

    public S3GarbageCollector(Consumer<String> out) {
        this.out = out;
    }

    public GarbageCollector.Result collect(S3ImageRepository repo, List<String> onlyImages, int keep, boolean dryRun,
            Actor actor, Duration abandonedAfter) throws IOException {
        if (keep < 0) {
            throw new IllegalArgumentException("--keep must be 0 or more: " + keep);
        }
        List<String> removed = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long freed = 0;
        S3Store store = repo.store();
        Instant before = Instant.now().minus(abandonedAfter);
        String verb = dryRun ? "would " : "";
        for (MultipartUpload u : store.uploads(repo.layout().root())) {
            // Zero means every upload: some servers (S3Proxy 2.6.0) report the listing's time as "initiated".
            if (!abandonedAfter.isZero() && u.initiated() != null && u.initiated().isAfter(before)) {
                out.accept("leave   multipart upload " + repo.location().relative(u.key()) + " (begun " + u.initiated()
                        + ", maybe still in progress)");
                continue;
            }
            out.accept(verb + "abort multipart upload " + repo.location().relative(u.key()) + " (begun " + u.initiated() + ")");
            if (!dryRun) {
                store.abort(u.key(), u.uploadId());
            }
        }
        List<String> images = onlyImages.isEmpty() ? repo.images() : onlyImages.stream().map(Names::image).toList();
        for (String image : images) {
            Map<String, List<S3ImageRepository.Commit>> commits = repo.commits(image);
            if (commits.isEmpty() && !repo.images().contains(image)) {
                problems.add(image + ": no such image in " + repo.location());
                continue;
            }
            Map<String, Set<String>> channelsOf = new LinkedHashMap<>();
            repo.channels(image).forEach((channel, c) ->
                    channelsOf.computeIfAbsent(c.version(), v -> new TreeSet<>()).add(channel));
            List<S3ImageRepository.Version> newestFirst = repo.versionsNewestFirst(image, p -> problems.add(p + " (kept)"));
            Set<String> attempts = new HashSet<>();
            int position = 0;
            for (S3ImageRepository.Version v : newestFirst) {
                position++;
                String label = image + "/" + v.version();
                Set<String> channels = channelsOf.getOrDefault(v.version(), Set.of());
                if (position <= keep || !channels.isEmpty()) {
                    kept.add(label);
                    attempts.add(v.version() + "/" + v.attempt());
                    out.accept("keep    " + label + "  (" + (position <= keep ? "one of the " + keep + " newest" : "")
                            + (position <= keep && !channels.isEmpty() ? "; " : "")
                            + (channels.isEmpty() ? "" : "channel " + String.join(", ", channels)) + ")");
                    removeLosers(repo, v, abandonedAfter.isZero() ? null : before, dryRun, attempts);
                    continue;
                }
                long size = v.manifest().totalSize();
                out.accept((dryRun ? "would remove " : "removed ") + label + "  (" + ByteSizes.human(size) + ", created "
                        + v.manifest().created() + ")");
                if (!dryRun) {
                    remove(repo, actor, v, commits.get(v.version()));
                }
                removed.add(label);
                freed += size;
            }
            // Records of versions that failed to resolve are kept, and so is their data.
            commits.forEach((version, list) -> {
                if (newestFirst.stream().noneMatch(v -> v.version().equals(version))) {
                    list.forEach(c -> attempts.add(version + "/" + c.attempt()));
                }
            });
            // Claim tickets and entering flags decide races while promotions run; once abandoned
            // they only hold a version back (an unpublished one) or are a refused racer's leftovers.
            for (Map.Entry<String, List<S3Object>> e : S3VersionClaims.claimObjects(repo, image).entrySet()) {
                for (S3Object o : e.getValue()) {
                    if (!abandonedAfter.isZero() && S3Store.modified(o).isAfter(before)) {
                        continue;
                    }
                    out.accept(verb + "remove claim " + repo.location().relative(o.key()));
                    if (!dryRun) {
                        store.delete(o.key());
                    }
                }
            }
            for (Map.Entry<String, List<S3Object>> e : S3Verifier.unpublished(repo, image, attempts).entrySet()) {
                Instant newest = e.getValue().stream().map(S3Store::modified).max(Instant::compareTo).orElse(Instant.EPOCH);
                if (!abandonedAfter.isZero() && newest.isAfter(before)) {
                    out.accept("leave   " + image + "/" + e.getKey() + " (unpublished, written " + newest
                            + ", maybe still in progress)");
                    continue;
                }
                out.accept(verb + "remove unpublished " + image + "/" + e.getKey() + " (" + e.getValue().size() + " object(s))");
                if (!dryRun) {
                    for (S3Object o : e.getValue()) {
                        store.delete(o.key());
                    }
                }
            }
        }
        return new GarbageCollector.Result(removed, kept, freed, problems);
    }

    /** Records (and data) of attempts that lost to the version's winner, once abandoned (all when before is null). */
    private void removeLosers(S3ImageRepository repo, S3ImageRepository.Version v, Instant before, boolean dryRun,
            Set<String> keepAttempts) throws RepositoryException {
        for (S3ImageRepository.Commit other : v.others()) {
            if (before != null && other.modified().isAfter(before)) {
                keepAttempts.add(v.version() + "/" + other.attempt());
                continue;
            }
            out.accept((dryRun ? "would " : "") + "remove the losing commit record " + v.image() + "/" + v.version() + "/"
                    + other.attempt());
            if (!dryRun) {
                repo.store().delete(other.key());
            } else {
                keepAttempts.add(v.version() + "/" + other.attempt());
            }
        }
    }

    private static void remove(S3ImageRepository repo, Actor actor, S3ImageRepository.Version v,
            List<S3ImageRepository.Commit> commits) throws IOException {
        S3Store store = repo.store();
        ImageManifest m = v.manifest();
        ObjectNode entry = Audit.entry(actor, "gc", m.name(), m.version(), "removed");
        Audit.files(entry, m.files());
        entry.put("gateReportSha256", m.gate().reportSha256());
        store.put(repo.layout().removed(v.image(), v.version()) + v.attempt() + S3Layout.JSON, v.manifestBytes());
        repo.audit(entry);
        // The losing records first, so that none of them ever becomes the winner; then the winner:
        // from that moment no reader finds the version.
        for (S3ImageRepository.Commit c : commits) {
            if (!c.key().equals(v.commit().key())) {
                store.delete(c.key());
            }
        }
        store.delete(v.commit().key());
        for (S3Object o : store.list(repo.layout().data(v.image(), v.version(), v.attempt()))) {
            store.delete(o.key());
        }
    }
}
