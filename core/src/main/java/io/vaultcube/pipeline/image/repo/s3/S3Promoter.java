package io.vaultcube.pipeline.image.repo.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.image.ByteSizes;
import io.vaultcube.pipeline.image.ChecksumLines;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.GateReportReader;
import io.vaultcube.pipeline.image.GitProvenance;
import io.vaultcube.pipeline.image.HashResult;
import io.vaultcube.pipeline.image.ImageJson;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.ManifestJson;
import io.vaultcube.pipeline.image.PackerManifestProvenance;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.PromotionGate;
import io.vaultcube.pipeline.image.ReportedVerdict;
import io.vaultcube.pipeline.image.Sha256;
import io.vaultcube.pipeline.image.attest.Attestation;
import io.vaultcube.pipeline.image.repo.Actor;
import io.vaultcube.pipeline.image.repo.Audit;
import io.vaultcube.pipeline.image.repo.ChannelMove;
import io.vaultcube.pipeline.image.repo.ImageRepository;
import io.vaultcube.pipeline.image.repo.Names;
import io.vaultcube.pipeline.image.repo.PromotionRefusedException;
import io.vaultcube.pipeline.image.repo.PromotionRequest;
import io.vaultcube.pipeline.image.repo.PromotionResult;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import io.vaultcube.pipeline.image.repo.RepositoryLayout;
import io.vaultcube.pipeline.image.repo.SourceFiles.Source;
import io.vaultcube.pipeline.image.repo.SourceFiles;
import io.vaultcube.pipeline.image.repo.VersionFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Promotes image files into an S3 repository with the filesystem repository's promise: a version
 * is visible only when complete and verified, a refused or interrupted promotion changes no
 * channel, concurrent promotions lose no channel move and never replace a version's content.
 *
 * <ol>
 *   <li>gate and inputs are checked before the bucket is touched;</li>
 *   <li>each file is read once: hashed and uploaded under a fresh attempt prefix (multipart with
 *       SHA-256 part checksums); its size on the server is checked (and with read-back, the object
 *       is streamed back and hashed again);</li>
 *   <li>{@code manifest.json} and {@code SHA256SUMS} go next to the files;</li>
 *   <li>racing promoters of the version agree on its first claim ticket ({@link S3VersionClaims});
 *       a promoter with other content than that ticket's is refused and removes its data;</li>
 *   <li>where the server has conditional writes, a claim {@code claims/VERSION.json} is created
 *       with If-None-Match: * as an extra guard;</li>
 *   <li>the commit record {@code versions/VERSION/ATTEMPT.json} is written: the version is
 *       visible; the promoter then lists the records again, and should one hold other content
 *       (never after a clean race) it withdraws its own record and data and refuses;</li>
 *   <li>channel records, then the audit event.</li>
 * </ol>
 */
public final class S3Promoter {
    private final int threads;
    private final ProgressMeter progress;
    private final Consumer<String> log;
    private final ProcessRunner runner;

    public S3Promoter(int threads, ProgressMeter progress, Consumer<String> log, ProcessRunner runner) {
        this.threads = Math.max(1, threads);
        this.progress = progress == null ? ProgressMeter.silent() : progress;
        this.log = log;
        this.runner = runner;
    }


    /** Promotes into {@code store}; {@code r.repository()} is not used (the store is the repository). */
    public PromotionResult promote(S3Store store, PromotionRequest r)
            throws IOException, InterruptedException, PromotionRefusedException {
        PromotionGate gate = GateReportReader.read(r.gateReport());
        say("gate report " + r.gateReport() + ": " + gate.verdict() + " (" + gate.gates() + " checks, sha256 "
                + gate.sha256() + ")");
        if (gate.verdict() == ReportedVerdict.FAILURE) {
            throw new PromotionRefusedException("the gate report's verdict is FAILURE: promotion refused");
        }
        if (gate.verdict() == ReportedVerdict.UNSTABLE && !r.allowUnstable()) {
            throw new PromotionRefusedException("the gate report's verdict is UNSTABLE: promotion refused"
                    + " (--allow-unstable promotes an unstable image)");
        }
        List<Source> sources = SourceFiles.inspect(r.files());
        ImageManifest.Packer packer = r.packerManifest() == null ? null : PackerManifestProvenance.read(r.packerManifest());
        ImageManifest.Git git = r.checkout() == null ? null : new GitProvenance(runner).read(r.checkout(), this::say);
        ImageManifest.Provenance provenance = new ImageManifest.Provenance(packer, git, r.tools());

        S3ImageRepository repo = S3ImageRepository.openOrCreate(store);
        S3ImageRepository.Version existing = existingOrRefuse(repo, r.name(), r.version(), S3Promoter::refusePlain);
        PromotionResult.Outcome outcome;
        ImageManifest manifest;
        if (existing != null) {
            manifest = existing.manifest();
            if (sources.isEmpty()) {
                outcome = PromotionResult.Outcome.CHANNELS_ONLY;
            } else {
                String conflict = compare(manifest, sources);
                if (conflict != null) {
                    refuseAudited(repo, r, gate, r.name() + " " + r.version() + " exists with other content (" + conflict
                            + "): versions are immutable; promote under a new version");
                }
                outcome = PromotionResult.Outcome.UNCHANGED;
            }
            requireIntact(repo, existing, r, gate);
            if (outcome == PromotionResult.Outcome.UNCHANGED) {
                say(r.name() + " " + r.version() + " already holds exactly these files: nothing uploaded");
            }
        } else {
            if (sources.isEmpty()) {
                throw new PromotionRefusedException(r.name() + " " + r.version() + " does not exist in " + store.location()
                        + ": give its image files to promote it");
            }
            Committed committed = uploadAndCommit(repo, r.name(), r.version(), attempt -> {
                List<ImageManifest.FileEntry> entries = uploadSources(repo, r, sources, attempt);
                ImageManifest m = new ImageManifest(r.name(), r.version(), Instant.now().truncatedTo(ChronoUnit.MILLIS),
                        r.actor().toManifest(), entries, ImageManifest.Gate.of(gate), provenance);
                byte[] bytes = ManifestJson.write(m);
                // The same SBOM, provenance statement and signatures as in a filesystem repository.
                Map<String, byte[]> attached = VersionFiles.attest(r.attestation(), m, bytes, r.channels(),
                        r.actor().host(), this::say);
                byte[] sums = VersionFiles.sums(m, bytes, attached);
                return new Staged(m, bytes, attached, sums, VersionFiles.signSums(r.attestation(), sums));
            }, m -> refuseAudited(repo, r, gate, m));
            manifest = committed.manifest();
            outcome = committed.created() ? PromotionResult.Outcome.CREATED : PromotionResult.Outcome.UNCHANGED;
        }
        List<ChannelMove> moves = setChannels(repo, r.name(), r.version(), r.channels(), r.actor());
        ObjectNode entry = Audit.entry(r.actor(), "promote", r.name(), r.version(), switch (outcome) {
            case CREATED -> "created";
            case UNCHANGED -> "unchanged";
            case CHANNELS_ONLY -> "channels";
        });
        Audit.gate(entry, gate);
        Audit.files(entry, manifest.files());
        Audit.channels(entry, moves);
        repo.audit(entry);
        return new PromotionResult(outcome, manifest, null, moves, gate);
    }

    /**
     * Publishes a version of a filesystem repository in S3 as it is: the same manifest bytes (its
     * creation time, gate and provenance), each file uploaded and its SHA-256 checked against that
     * manifest while it is read.
     */
    public PromotionResult push(ImageRepository from, S3Store store, String image, String version,
            List<String> channels, Actor actor) throws IOException, InterruptedException, PromotionRefusedException {
        Names.image(image);
        Names.version(version);
        channels.forEach(Names::channel);
        Path dir = from.layout().version(image, version);
        byte[] manifestBytes;
        try {
            manifestBytes = Files.readAllBytes(dir.resolve(RepositoryLayout.MANIFEST));
        } catch (NoSuchFileException e) {
            throw new PromotionRefusedException("no version " + image + "/" + version + " in " + from.root());
        }
        ImageManifest manifest = ManifestJson.read(manifestBytes, dir.resolve(RepositoryLayout.MANIFEST).toString());
        byte[] sums = Files.readAllBytes(dir.resolve(RepositoryLayout.SUMS));
        // Its SBOM, provenance statement and signatures travel with it, unchanged.
        Map<String, byte[]> attached = VersionFiles.attached(dir);
        byte[] sumsSignature = attached.remove(Attestation.SUMS_SIG);
        if (!Arrays.equals(sums, VersionFiles.sums(manifest, manifestBytes, attached))) {
            throw new RepositoryException(dir + "/" + RepositoryLayout.SUMS + " does not match its manifest; run vault"
                    + " images verify --repo " + from.root());
        }
        S3ImageRepository repo = S3ImageRepository.openOrCreate(store);
        S3ImageRepository.Version existing = existingOrRefuse(repo, image, version, S3Promoter::refusePlain);
        PromotionResult.Outcome outcome;
        if (existing != null) {
            if (!S3Verifier.sameContent(existing.manifest().files(), manifest.files())) {
                throw new PromotionRefusedException(image + " " + version + " exists in " + store.location()
                        + " with other content: versions are immutable");
            }
            outcome = PromotionResult.Outcome.UNCHANGED;
            say(image + " " + version + " is already in " + store.location() + " with the same files: nothing uploaded");
        } else {
            Committed committed = uploadAndCommit(repo, image, version, attempt -> {
                say("pushing " + manifest.files().size() + " file(s), " + ByteSizes.human(manifest.totalSize()) + ", to "
                        + store.location() + "/" + store.location().relative(repo.layout().data(image, version, attempt)));
                progress.addTotal(manifest.totalSize());
                S3Uploader uploader = new S3Uploader(store);
                for (ImageManifest.FileEntry f : manifest.files()) {
                    HashResult sent = uploader.upload(dir.resolve(f.name()),
                            repo.layout().data(image, version, attempt) + f.name(), progress);
                    if (sent.size() != f.size() || !sent.sha256().equals(f.sha256())) {
                        throw new RepositoryException("the local copy of " + image + "/" + version + "/"
                                + ChecksumLines.oneLine(f.name()) + " does not match its manifest (sha256 " + sent.sha256()
                                + ", " + sent.size() + " bytes); nothing was pushed; run vault images verify --repo "
                                + from.root());
                    }
                    say("  " + ChecksumLines.oneLine(f.name()) + "  " + ByteSizes.human(f.size()) + "  sha256 "
                            + f.sha256() + "  (as in the manifest)");
                }
                if (!attached.isEmpty() || sumsSignature != null) {
                    say("  with " + String.join(", ", attached.keySet()) + (sumsSignature == null ? "" : ", "
                            + Attestation.SUMS_SIG));
                }
                return new Staged(manifest, manifestBytes, attached, sums, sumsSignature);
            }, S3Promoter::refusePlain);
            outcome = committed.created() ? PromotionResult.Outcome.CREATED : PromotionResult.Outcome.UNCHANGED;
        }
        List<ChannelMove> moves = setChannels(repo, image, version, channels, actor);
        ObjectNode entry = Audit.entry(actor, "push", image, version, outcome == PromotionResult.Outcome.CREATED
                ? "created" : "unchanged");
        entry.put("from", from.root().toString());
        entry.put("gateVerdict", manifest.gate().verdict().name());
        entry.put("gateReportSha256", manifest.gate().reportSha256());
        Audit.files(entry, manifest.files());
        Audit.channels(entry, moves);
        repo.audit(entry);
        return new PromotionResult(outcome, manifest, null, moves, null);
    }

    private S3ImageRepository.Version existingVersion(S3ImageRepository repo, String image, String version)
            throws IOException {
        try {
            return repo.version(image, version);
        } catch (RepositoryException | ContestedVersionException e) {
            throw e;
        } catch (IOException e) {
            throw new RepositoryException(image + "/" + version + " exists but its manifest cannot be read ("
                    + e.getMessage() + "); run vault images verify");
        }
    }

    /** The stored copy must hash as its manifest says before a channel is pointed (again) at it. */
    private void requireIntact(S3ImageRepository repo, S3ImageRepository.Version v, PromotionRequest r, PromotionGate gate)
            throws IOException, InterruptedException, PromotionRefusedException {
        say("re-hashing the stored " + v.image() + " " + v.version() + " before pointing a channel at it");
        List<String> damage = new S3Verifier(threads, progress, this::say).damage(repo, v);
        if (!damage.isEmpty()) {
            refuseAudited(repo, r, gate, "the stored " + v.image() + " " + v.version() + " is damaged ("
                    + String.join("; ", damage) + "): nothing promoted and no channel moved; run vault images verify --repo "
                    + repo.location() + " and restore the version from a good copy");
        }
    }

    /**
     * What an attempt publishes beside its image files: the manifest's bytes, the attestation files
     * SHA256SUMS lists (SBOM, statement, its signature), SHA256SUMS, and its signature or null.
     */
    record Staged(ImageManifest manifest, byte[] manifestBytes, Map<String, byte[]> attached, byte[] sums,
            byte[] sumsSignature) {
    }

    @FunctionalInterface
    interface Stage {
        Staged upload(String attempt) throws IOException, InterruptedException, PromotionRefusedException;
    }

    @FunctionalInterface
    interface Refusal {
        void refuse(String message) throws IOException, InterruptedException, PromotionRefusedException;
    }

    record Committed(ImageManifest manifest, boolean created) {
    }

    /**
     * Uploads an attempt, then publishes it by its commit record, unless meanwhile another promotion
     * published the version: the same content is then "unchanged", other content is refused.
     */
    private Committed uploadAndCommit(S3ImageRepository repo, String image, String version, Stage stage, Refusal refuse)
            throws IOException, InterruptedException, PromotionRefusedException {
        S3Store store = repo.store();
        S3Layout layout = repo.layout();
        String attempt = S3Layout.stamp(Instant.now());
        String data = layout.data(image, version, attempt);
        boolean published = false;
        try {
            Staged staged = stage.upload(attempt);
            ImageManifest manifest = staged.manifest();
            refuseReuse(repo, manifest, refuse);
            byte[] manifestBytes = staged.manifestBytes();
            store.put(data + RepositoryLayout.MANIFEST, manifestBytes);
            for (Map.Entry<String, byte[]> a : staged.attached().entrySet()) {
                store.put(data + a.getKey(), a.getValue());
            }
            store.put(data + RepositoryLayout.SUMS, staged.sums());
            if (staged.sumsSignature() != null) {
                store.put(data + Attestation.SUMS_SIG, staged.sumsSignature());
            }
            checkUploaded(repo, data, manifest);
            // Published meanwhile by another promotion? Then this attempt is not needed.
            S3ImageRepository.Version other = existingOrRefuse(repo, image, version, refuse);
            if (other != null) {
                return settle(repo, other, manifest, refuse);
            }
            // Racing promotions agree on the version's first claim ticket; only its content is ever
            // published, and only by the attempt that holds it (S3VersionClaims).
            String content = contentDigest(manifest.files());
            S3VersionClaims.Ticket first = S3VersionClaims.claim(repo, image, version, attempt, content, this::say, refuse);
            if (!first.content().equals(content)) {
                refuse.refuse(image + " " + version + " was claimed first by a concurrent promotion with other content"
                        + " (attempt " + first.attempt() + "): versions are immutable; nothing of this promotion stays and"
                        + " no channel moved");
            }
            if (!first.attempt().equals(attempt)) {
                S3ImageRepository.Version theirs = awaitPublished(repo, image, version, first, refuse);
                if (theirs != null) {
                    return settle(repo, theirs, manifest, refuse);
                }
                say("the promotion that claimed " + image + " " + version + " first with the same files (attempt "
                        + first.attempt() + ") published nothing; publishing this copy");
            }
            other = existingOrRefuse(repo, image, version, refuse);
            if (other != null) {
                return settle(repo, other, manifest, refuse);
            }
            Boolean claimed = store.putIfAbsent(layout.claim(image, version), claim(manifest, attempt));
            if (Boolean.FALSE.equals(claimed)) {
                byte[] theirs = store.get(layout.claim(image, version));
                JsonNode node = theirs == null ? null : ImageJson.parseObject(theirs, layout.claim(image, version));
                if (node == null || !content.equals(node.path("content").asText())) {
                    refuse.refuse(image + " " + version + " was claimed by another promotion with other content"
                            + (node == null ? "" : " (attempt " + node.path("attempt").asText() + ")")
                            + ": versions are immutable; promote under a new version");
                }
            }
            store.put(layout.commit(image, version, attempt), manifestBytes);
            published = true;
            // Settle: the claim tickets make a record with other files impossible after a clean race;
            // should one be there anyway (a gc that removed tickets under a running promotion), this
            // record is withdrawn, so a reader never sees a second content.
            S3ImageRepository.Version winner;
            try {
                winner = existingVersion(repo, image, version);
            } catch (ContestedVersionException e) {
                published = false;
                refuse.refuse(image + " " + version + " is contested (" + e.getMessage() + "): this promotion's record"
                        + " is withdrawn; nothing of it stays and no channel moved");
                throw e;
            }
            if (winner == null || !winner.attempt().equals(attempt)) {
                if (winner == null) {
                    throw new RepositoryException(image + " " + version + ": its commit record vanished right after it"
                            + " was written (a concurrent gc?); run vault images verify");
                }
                published = false;
                return settle(repo, winner, manifest, refuse);
            }
            say("promoted " + image + " " + version + " into " + store.location() + "/"
                    + store.location().relative(data));
            return new Committed(manifest, true);
        } finally {
            if (!published) {
                removeAttempt(repo, image, version, attempt);
            }
        }
    }

    private S3ImageRepository.Version existingOrRefuse(S3ImageRepository repo, String image, String version,
            Refusal refuse) throws IOException, InterruptedException, PromotionRefusedException {
        try {
            return existingVersion(repo, image, version);
        } catch (ContestedVersionException e) {
            refuse.refuse(image + " " + version + " is being promoted concurrently with other files: versions are"
                    + " immutable; nothing of this promotion stays and no channel moved");
            return null;
        }
    }

    private static void refusePlain(String message) throws PromotionRefusedException {
        throw new PromotionRefusedException(message);
    }

    /**
     * Another attempt holds the first ticket with the same files: wait for its commit record (as
     * long as for a doorway); null when it published nothing in that time (it died or failed).
     */
    private S3ImageRepository.Version awaitPublished(S3ImageRepository repo, String image, String version,
            S3VersionClaims.Ticket first, Refusal refuse) throws IOException, InterruptedException, PromotionRefusedException {
        say(image + " " + version + " was claimed first by a concurrent promotion with the same files (attempt "
                + first.attempt() + "): waiting for it to publish");
        long deadline = System.nanoTime() + S3VersionClaims.DOORWAY_WAIT.toNanos();
        long pause = 50;
        while (true) {
            S3ImageRepository.Version v = existingOrRefuse(repo, image, version, refuse);
            if (v != null || System.nanoTime() > deadline) {
                return v;
            }
            Thread.sleep(pause);
            pause = Math.min(1000, pause * 2);
        }
    }

    /** Another attempt published the version first: ours is removed by the caller. */
    private Committed settle(S3ImageRepository repo, S3ImageRepository.Version winner, ImageManifest ours,
            Refusal refuse) throws IOException, InterruptedException, PromotionRefusedException {
        if (!S3Verifier.sameContent(winner.manifest().files(), ours.files())) {
            refuse.refuse(winner.image() + " " + winner.version() + " was published by a concurrent promotion with other"
                    + " content: versions are immutable; nothing of this promotion stays and no channel moved");
        }
        say(winner.image() + " " + winner.version() + " was published by a concurrent promotion with the same files");
        return new Committed(winner.manifest(), false);
    }

    private void removeAttempt(S3ImageRepository repo, String image, String version, String attempt) {
        S3Store store = repo.store();
        try {
            String commit = repo.layout().commit(image, version, attempt);
            store.delete(commit);
            for (S3Object o : store.list(repo.layout().data(image, version, attempt))) {
                store.delete(o.key());
            }
        } catch (RepositoryException e) {
            say("could not remove the unpublished upload " + store.location() + "/"
                    + store.location().relative(repo.layout().data(image, version, attempt)) + " (" + e.getMessage()
                    + "); it is invisible, and vault images gc removes it");
        }
    }

    private List<ImageManifest.FileEntry> uploadSources(S3ImageRepository repo, PromotionRequest r, List<Source> sources,
            String attempt) throws IOException, InterruptedException {
        S3Store store = repo.store();
        String data = repo.layout().data(r.name(), r.version(), attempt);
        long total = sources.stream().mapToLong(Source::size).sum();
        say("uploading " + sources.size() + " file(s), " + ByteSizes.human(total) + ", to " + store.location() + "/"
                + store.location().relative(data));
        progress.addTotal(total * (store.settings().readBack() ? 2 : 1));
        S3Uploader uploader = new S3Uploader(store);
        List<ImageManifest.FileEntry> entries = new ArrayList<>();
        for (Source s : sources) {
            HashResult sent = uploader.upload(s.path(), data + s.name(), progress);
            if (sent.size() != s.size() || !Files.getLastModifiedTime(s.path()).equals(s.modified())) {
                throw new RepositoryException(s.path() + " changed while it was uploaded; nothing was promoted");
            }
            if (store.settings().readBack()) {
                HashResult back = S3Uploader.hashObject(store, data + s.name(), progress);
                if (!back.equals(sent)) {
                    throw new RepositoryException("the uploaded " + ChecksumLines.oneLine(s.name()) + " reads back as sha256 "
                            + back.sha256() + ", " + back.size() + " bytes; sent " + sent.sha256() + ", " + sent.size()
                            + " bytes; nothing was promoted");
                }
            }
            say("  " + ChecksumLines.oneLine(s.name()) + "  " + ByteSizes.human(sent.size()) + "  sha256 " + sent.sha256()
                    + (store.settings().readBack() ? "  (read back and verified)" : store.checksums()
                            ? "  (SHA-256 checksums sent with every part)" : "  (SigV4 payload hashes sent; the server takes no SHA-256 checksums)"));
            entries.add(new ImageManifest.FileEntry(s.name(), sent.size(), sent.sha256()));
        }
        return entries;
    }

    /** Every object of the attempt is there with the size the manifest says, and nothing else. */
    private static void checkUploaded(S3ImageRepository repo, String data, ImageManifest manifest) throws IOException {
        Map<String, Long> expected = new HashMap<>();
        manifest.files().forEach(f -> expected.put(f.name(), f.size()));
        Map<String, Long> found = new HashMap<>();
        for (S3Object o : repo.store().list(data)) {
            found.put(o.key().substring(data.length()), o.size());
        }
        found.remove(RepositoryLayout.MANIFEST);
        found.remove(RepositoryLayout.SUMS);
        Attestation.ALL.forEach(found::remove);
        if (!found.equals(expected)) {
            throw new RepositoryException("the upload to " + repo.location() + "/" + repo.location().relative(data)
                    + " is not what was sent (the server lists " + found + ", expected " + expected
                    + "); nothing was promoted");
        }
    }

    /** A version gc removed is never reborn with other content. */
    private static void refuseReuse(S3ImageRepository repo, ImageManifest manifest, Refusal refuse)
            throws IOException, InterruptedException, PromotionRefusedException {
        for (S3Object o : repo.store().list(repo.layout().removed(manifest.name(), manifest.version()))) {
            byte[] bytes = repo.store().get(o.key());
            if (bytes == null) {
                continue;
            }
            ImageManifest before = ManifestJson.read(bytes, o.key());
            if (!S3Verifier.sameContent(before.files(), manifest.files())) {
                refuse.refuse(manifest.name() + " " + manifest.version() + " was promoted before (" + before.created()
                        + ") with other content and later removed; versions are never reused: promote under a new version");
            }
        }
    }

    private List<ChannelMove> setChannels(S3ImageRepository repo, String image, String version, List<String> channels,
            Actor actor) throws IOException {
        List<ChannelMove> moves = new ArrayList<>();
        S3ImageRepository.Version target = null;
        // A racer with other files may have written its record after this promotion settled; it
        // deletes it as soon as it lists the records. Until then no channel may point here.
        for (int attempt = 0; ; attempt++) {
            try {
                target = repo.version(image, version);
                break;
            } catch (ContestedVersionException e) {
                if (attempt >= 20) {
                    throw new RepositoryException(e.getMessage() + "; no channel moved");
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new RepositoryException("interrupted while " + image + " " + version + " was contested; no"
                            + " channel moved");
                }
            }
        }
        if (target == null) {
            if (channels.isEmpty()) {
                return moves;
            }
            throw new RepositoryException(image + " " + version + " is not visible (removed by a concurrent gc?); no"
                    + " channel moved");
        }
        for (String channel : channels) {
            S3ImageRepository.Channel before = repo.channel(image, channel);
            ChannelMove move = new ChannelMove(channel, before == null ? null : before.version(), version);
            if (move.changed()) {
                // Later than the record it replaces even when this host's clock is behind.
                Instant now = Instant.now();
                String stamp = S3Layout.stamp(now);
                if (before != null && stamp.compareTo(before.stamp()) <= 0) {
                    stamp = S3Layout.stamp(parseStamp(before.stamp()).plusMillis(1));
                }
                ObjectNode record = ImageJson.mapper().createObjectNode();
                record.put("schema", S3ImageRepository.CHANNEL_SCHEMA);
                record.put("image", image);
                record.put("channel", channel);
                record.put("version", version);
                record.put("attempt", target.attempt());
                record.put("from", move.from());
                record.put("time", now.truncatedTo(ChronoUnit.MILLIS).toString());
                record.put("user", actor.user());
                record.put("host", actor.host());
                repo.store().put(repo.layout().channelRecords(image, channel) + stamp + S3Layout.JSON,
                        ImageJson.write(record));
                say("channel " + channel + ": " + (before == null ? "(new)" : before.version()) + " -> " + version);
            } else {
                say("channel " + channel + " already points to " + version);
            }
            moves.add(move);
        }
        return moves;
    }

    static Instant parseStamp(String stamp) {
        String t = stamp.substring(0, 18);
        return LocalDateTime.parse(t, DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS"))
                .toInstant(ZoneOffset.UTC);
    }

    private static byte[] claim(ImageManifest manifest, String attempt) {
        ObjectNode node = ImageJson.mapper().createObjectNode();
        node.put("schema", "vault-s3-claim/1");
        node.put("content", contentDigest(manifest.files()));
        node.put("attempt", attempt);
        return ImageJson.write(node);
    }

    /** The SHA-256 of a version's file list (names, sizes, digests): equal exactly for the same content. */
    static String contentDigest(List<ImageManifest.FileEntry> files) {
        StringBuilder b = new StringBuilder();
        files.stream().sorted(Comparator.comparing(ImageManifest.FileEntry::name))
                .forEach(f -> b.append(f.name()).append('\0').append(f.size()).append('\0').append(f.sha256()).append('\n'));
        return Sha256.of(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void refuseAudited(S3ImageRepository repo, PromotionRequest r, PromotionGate gate, String message)
            throws RepositoryException, PromotionRefusedException {
        ObjectNode entry = Audit.entry(r.actor(), "promote", r.name(), r.version(), "refused");
        Audit.gate(entry, gate);
        entry.put("reason", message);
        repo.audit(entry);
        throw new PromotionRefusedException(message);
    }

    /** Null when the version holds exactly these files; else what differs. */
    private String compare(ImageManifest existing, List<Source> sources) throws IOException, InterruptedException {
        String differs = SourceFiles.byNameAndSize(existing, sources);
        if (differs != null) {
            return differs;
        }
        Map<String, ImageManifest.FileEntry> byName = new HashMap<>();
        existing.files().forEach(f -> byName.put(f.name(), f));
        say("hashing " + sources.size() + " file(s) to compare them with the existing " + existing.version());
        FileHasher hasher = new FileHasher();
        for (Source s : sources) {
            String sha = hasher.hash(s.path(), progress).sha256();
            if (!sha.equals(byName.get(s.name()).sha256())) {
                return s.name() + " has sha256 " + sha + ", the promoted one " + byName.get(s.name()).sha256();
            }
        }
        return null;
    }

    private void say(String message) {
        progress.printAbove(() -> log.accept(message));
    }
}
