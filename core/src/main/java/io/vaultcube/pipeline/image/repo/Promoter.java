package io.vaultcube.pipeline.image.repo;

import io.vaultcube.pipeline.image.attest.Attestation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.image.ByteSizes;
import io.vaultcube.pipeline.image.ChecksumLines;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.PromotionGate;
import io.vaultcube.pipeline.image.GateReportReader;
import io.vaultcube.pipeline.image.ReportedVerdict;
import io.vaultcube.pipeline.image.GitProvenance;
import io.vaultcube.pipeline.image.HashResult;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.IoErrors;
import io.vaultcube.pipeline.image.ManifestJson;
import io.vaultcube.pipeline.image.OrderedParallel;
import io.vaultcube.pipeline.image.PackerManifestProvenance;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.VerifiedCopy;
import io.vaultcube.pipeline.image.repo.SourceFiles.Source;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Promotes image files into a repository so that no reader ever sees a partial, corrupt or
 * silently replaced version:
 *
 * <ol>
 *   <li>the gate report must allow it (SUCCESS, or UNSTABLE when allowed);</li>
 *   <li>under the image's lock (stale staging of a crashed writer is removed first), each file is
 *       copied into a staging directory inside the repository while it is hashed in the same pass,
 *       forced to disk, and re-read and hashed again ({@link VerifiedCopy}: every byte is re-read
 *       after an fsync that covered it); the two digests must agree;</li>
 *   <li>{@code manifest.json} and {@code SHA256SUMS} are written and forced, the staging directory
 *       is fsynced and renamed to {@code IMAGE/VERSION} in one atomic rename, and the parent is
 *       fsynced;</li>
 *   <li>channels are symlinks replaced by an atomic rename;</li>
 *   <li>an audit entry is appended and fsynced.</li>
 * </ol>
 *
 * A version that exists is never changed: the same files again are a no-op, other files are
 * refused. A run killed at any moment leaves either no trace but hidden staging (removed by the
 * next writer) or a complete version.
 */
public final class Promoter {
    /** Room kept free beyond the image files (manifest, SHA256SUMS, directory blocks). */
    private static final long SPACE_MARGIN = 1 << 20;

    private final FileHasher hasher;
    private final int threads;
    private final ProgressMeter progress;
    private final Consumer<String> log;
    private final ProcessRunner runner;

    /**
     * @param threads how many files are copied or hashed at once
     * @param progress counts the bytes copied and re-read (may be silent)
     * @param log one line per step, for the console
     */
    public Promoter(FileHasher hasher, int threads, ProgressMeter progress, Consumer<String> log, ProcessRunner runner) {
        this.hasher = hasher;
        this.threads = Math.max(1, threads);
        this.progress = progress == null ? ProgressMeter.silent() : progress;
        this.log = log;
        this.runner = runner;
    }


    public PromotionResult promote(PromotionRequest r)
            throws IOException, InterruptedException, PromotionRefusedException {
        PromotionGate gate = null;
        List<Source> sources;
        try {
            gate = GateReportReader.read(r.gateReport());
            say("gate report " + r.gateReport() + ": " + gate.verdict() + " (" + gate.gates() + " checks, sha256 "
                    + gate.sha256() + ")");
            if (gate.verdict() == ReportedVerdict.FAILURE) {
                throw new PromotionRefusedException("the gate report's verdict is FAILURE: promotion refused");
            }
            if (gate.verdict() == ReportedVerdict.UNSTABLE && !r.allowUnstable()) {
                throw new PromotionRefusedException("the gate report's verdict is UNSTABLE: promotion refused"
                        + " (--allow-unstable promotes an unstable image)");
            }
            checkBinding(gate, r);
            sources = SourceFiles.inspect(r.files());
        } catch (PromotionRefusedException | IOException | IllegalArgumentException e) {
            recordRefusal(r, gate, e.getMessage(), this::say);
            throw e;
        }
        ImageManifest.Packer packer = null;
        if (r.packerManifest() != null) {
            packer = PackerManifestProvenance.read(r.packerManifest());
            say("provenance: Packer run " + packer.lastRunUuid() + " (" + packer.builds().size() + " builds)");
        }
        ImageManifest.Git git = null;
        if (r.checkout() != null) {
            git = new GitProvenance(runner).read(r.checkout(), this::say);
            if (git != null) {
                say("provenance: git commit " + git.commit() + (Boolean.TRUE.equals(git.dirty()) ? " (with uncommitted changes)" : ""));
            }
        }
        ImageManifest.Provenance provenance = new ImageManifest.Provenance(packer, git, r.tools());
        try {
            return promoteInto(r, gate, sources, provenance);
        } catch (RepositoryException e) {
            throw e;
        } catch (IOException e) {
            // The repository side: the documented failure (exit 1) with a sentence, never a bare OS message.
            Path root = r.repository().toAbsolutePath().normalize();
            if (IoErrors.isNoSpace(e)) {
                throw new RepositoryException("the filesystem of " + root + " is full (No space left on device)"
                        + " before " + r.name() + " " + r.version() + " could be written; nothing was promoted", e);
            }
            throw new RepositoryException("promotion of " + r.name() + " " + r.version() + " into " + root
                    + " failed: " + IoErrors.reason(e) + "; nothing was promoted", e);
        }
    }

    /**
     * Writes a "refused" audit entry for a promotion refused before the repository was changed (an
     * unreadable or unbound report, a verdict that forbids it, a missing file), when the repository
     * exists: a refusal is an outcome like any other. Without a repository there is nowhere to write
     * it, and none is created for a refusal.
     */
    public static void recordRefusal(PromotionRequest r, PromotionGate gate, String reason, Consumer<String> log) {
        ImageRepository repo;
        try {
            repo = ImageRepository.open(r.repository());
        } catch (IOException e) {
            return;
        }
        try {
            ObjectNode entry = Audit.entry(r.actor(), "promote", r.name(), r.version(), "refused");
            if (gate != null) {
                Audit.gate(entry, gate);
            } else {
                entry.put("gateReport", r.gateReport().toAbsolutePath().toString());
            }
            entry.put("reason", reason);
            repo.auditLog().append(entry, r.lockTimeout(), log);
        } catch (IOException e) {
            log.accept("could not record the refusal in " + repo.layout().auditLog() + ": " + IoErrors.reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The report must say what it judged, and that must be what is here: every evidence file it
     * bound has the SHA-256 it had when the gate read it, and the policy is the one it applied.
     */
    private void checkBinding(PromotionGate gate, PromotionRequest r) throws IOException, PromotionRefusedException {
        if (gate.evidenceFiles() == null) {
            throw new PromotionRefusedException("the gate report " + r.gateReport() + " does not say which evidence"
                    + " it judged (no \"binding\": written by hand or by an older vault): re-run vault gate --json"
                    + " over the evidence and promote with that report");
        }
        if (gate.evidenceFiles().isEmpty()) {
            throw new PromotionRefusedException("the gate report " + r.gateReport() + " binds no evidence file: the"
                    + " gate judged an empty evidence directory, so nothing was checked");
        }
        Path dir = r.evidence();
        if (dir == null && gate.evidence() != null) {
            Path named = Path.of(gate.evidence());
            Path base = r.gateReport().toAbsolutePath().getParent();
            dir = named.isAbsolute() || base == null ? named : base.resolve(named);
        }
        if (dir == null) {
            throw new PromotionRefusedException("the gate report " + r.gateReport() + " names no evidence"
                    + " directory: give the one it judged (--evidence DIR)");
        }
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> bound : gate.evidenceFiles().entrySet()) {
            Path file = dir.resolve(bound.getKey());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                differences.add(bound.getKey() + " is missing");
                continue;
            }
            String now = FileHasher.hash(Files.readAllBytes(file)).sha256();
            if (!now.equals(bound.getValue())) {
                differences.add(bound.getKey() + " is not the file the gate judged (sha256 " + now + ", the report"
                        + " says " + bound.getValue() + ")");
            }
        }
        if (!differences.isEmpty()) {
            throw new PromotionRefusedException("the gate report " + r.gateReport() + " was not made for the evidence"
                    + " in " + dir + ": " + String.join("; ", differences) + "; re-run the gate over this evidence");
        }
        Path policy = r.policy();
        if (policy == null && gate.policyFile() != null && Path.of(gate.policyFile()).isAbsolute()
                && Files.isRegularFile(Path.of(gate.policyFile()))) {
            policy = Path.of(gate.policyFile());
        }
        if (policy != null) {
            String now = FileHasher.hash(Files.readAllBytes(policy)).sha256();
            if (!now.equals(gate.policySha256())) {
                throw new PromotionRefusedException("the gate report " + r.gateReport() + " was made with another"
                        + " policy: it names sha256 " + gate.policySha256() + ", " + policy + " has " + now
                        + "; re-run the gate with this policy");
            }
        }
        say("gate report binding: " + gate.evidenceFiles().size() + " evidence file(s) in " + dir
                + " are those the gate judged (evidence sha256 " + gate.evidenceSha256() + ")"
                + (policy == null ? "" : "; policy " + policy + " is the one it applied"));
    }

    private PromotionResult promoteInto(PromotionRequest r, PromotionGate gate, List<Source> sources,
            ImageManifest.Provenance provenance) throws IOException, InterruptedException, PromotionRefusedException {
        ImageRepository repo = ImageRepository.openOrCreate(r.repository());
        RepositoryLayout layout = repo.layout();
        try (ImageRepository.WriterSession session = repo.lockForWriting(r.name(), r.lockTimeout(), this::say)) {
            session.reconcileAudit(r.actor());
            Path versionDir = layout.version(r.name(), r.version());
            PromotionResult.Outcome outcome;
            ImageManifest manifest;
            if (Files.isSymbolicLink(versionDir)) {
                refuseAudited(session, r, gate, Fs.refusedLink(versionDir).getMessage());
            }
            if (!r.channels().isEmpty()) {
                // Checked before anything is published: a version must not appear without its channels.
                Fs.createDirectories(layout.channels(r.name()));
                if (!Files.isWritable(layout.channels(r.name()))) {
                    refuseAudited(session, r, gate, layout.channels(r.name()) + " is not writable: no channel can be"
                            + " set, so nothing was promoted");
                }
            }
            if (Files.exists(versionDir, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    manifest = repo.manifest(r.name(), r.version());
                } catch (IOException e) {
                    refuseAudited(session, r, gate, r.name() + "/" + r.version() + " exists but its manifest cannot"
                            + " be read (" + e.getMessage() + "); run vault images verify");
                    throw e;
                }
                if (sources.isEmpty()) {
                    outcome = PromotionResult.Outcome.CHANNELS_ONLY;
                } else {
                    String conflict = compare(manifest, sources);
                    if (conflict != null) {
                        refuseAudited(session, r, gate, r.name() + " " + r.version() + " exists with other content ("
                                + conflict + "): versions are immutable; promote under a new version");
                    }
                    outcome = PromotionResult.Outcome.UNCHANGED;
                }
                // The manifest says what was promoted, not what is on the disk now: a channel must not
                // be pointed (again) at a stored copy that rotted or was changed behind the repository.
                say("re-hashing the stored " + r.name() + " " + r.version() + " before pointing a channel at it");
                List<String> damage = new RepositoryVerifier(hasher, threads, progress, this::say)
                        .damage(repo, r.name(), r.version());
                if (!damage.isEmpty()) {
                    refuseAudited(session, r, gate, "the stored " + r.name() + " " + r.version() + " is damaged ("
                            + String.join("; ", damage) + "): nothing promoted and no channel moved; run vault images"
                            + " verify --repo " + layout.root() + " and restore the version from a good copy");
                }
                if (outcome == PromotionResult.Outcome.UNCHANGED) {
                    say(r.name() + " " + r.version() + " already holds exactly these files: nothing copied");
                }
            } else {
                if (sources.isEmpty()) {
                    refuseAudited(session, r, gate, r.name() + " " + r.version() + " does not exist in "
                            + layout.root() + ": give its image files to promote it");
                }
                try {
                    manifest = stageAndCommit(repo, session, r, sources, gate, provenance);
                } catch (RepositoryException e) {
                    auditFailure(session, r, gate, e.getMessage());
                    throw e;
                }
                outcome = PromotionResult.Outcome.CREATED;
            }
            String outcomeName = switch (outcome) {
                case CREATED -> "created";
                case UNCHANGED -> "unchanged";
                case CHANNELS_ONLY -> "channels";
            };
            List<ChannelMove> moves;
            try {
                moves = setChannels(repo, r);
            } catch (IOException e) {
                // The version is published (or was already); what did not happen is said and audited.
                String reason = "could not set the channels " + String.join(", ", r.channels()) + ": "
                        + IoErrors.reason(e);
                ObjectNode entry = Audit.entry(r.actor(), "promote", r.name(), r.version(), outcomeName);
                Audit.gate(entry, gate);
                Audit.files(entry, manifest.files());
                entry.put("reason", reason);
                session.audit(entry);
                throw new RepositoryException(r.name() + " " + r.version() + " is in " + versionDir + " but " + reason
                        + "; fix that and promote again without files to set the channels", e);
            }
            ObjectNode entry = Audit.entry(r.actor(), "promote", r.name(), r.version(), outcomeName);
            Audit.gate(entry, gate);
            Audit.files(entry, manifest.files());
            Audit.channels(entry, moves);
            session.audit(entry);
            return new PromotionResult(outcome, manifest, versionDir, moves, gate);
        }
    }

    private void auditFailure(ImageRepository.WriterSession session, PromotionRequest r, PromotionGate gate,
            String message) {
        try {
            ObjectNode entry = Audit.entry(r.actor(), "promote", r.name(), r.version(), "failed");
            Audit.gate(entry, gate);
            entry.put("reason", message);
            session.audit(entry);
        } catch (IOException e) {
            say("could not record the failure in the audit log: " + IoErrors.reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        progress.addTotal(sources.stream().mapToLong(Source::size).sum());
        String[] conflict = {null};
        try {
            OrderedParallel.<Source, HashResult>run(sources, threads, "vault-compare",
                    s -> hasher.hash(s.path(), progress), (s, result, failure) -> {
                        if (failure != null) {
                            throw failure;
                        }
                        String promoted = byName.get(s.name()).sha256();
                        if (conflict[0] == null && !promoted.equals(result.sha256())) {
                            conflict[0] = s.name() + " has sha256 " + result.sha256() + ", the promoted one " + promoted;
                        }
                    });
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return conflict[0];
    }

    private void refuseAudited(ImageRepository.WriterSession session, PromotionRequest r, PromotionGate gate,
            String message) throws IOException, InterruptedException, PromotionRefusedException {
        ObjectNode entry = Audit.entry(r.actor(), "promote", r.name(), r.version(), "refused");
        Audit.gate(entry, gate);
        entry.put("reason", message);
        session.audit(entry);
        throw new PromotionRefusedException(message);
    }

    private ImageManifest stageAndCommit(ImageRepository repo, ImageRepository.WriterSession session,
            PromotionRequest r, List<Source> sources, PromotionGate gate, ImageManifest.Provenance provenance)
            throws IOException, InterruptedException, PromotionRefusedException {
        RepositoryLayout layout = repo.layout();
        Path stagingRoot = layout.staging(r.name());
        Fs.createDirectories(stagingRoot);
        long total = sources.stream().mapToLong(Source::size).sum();
        if (r.checkFreeSpace()) {
            long usable = Files.getFileStore(stagingRoot).getUsableSpace();
            if (usable < total + SPACE_MARGIN) {
                throw new RepositoryException("not enough space in " + layout.root() + ": " + r.name() + " "
                        + r.version() + " needs " + ByteSizes.human(total) + ", the filesystem has "
                        + ByteSizes.human(usable) + " free; nothing was promoted");
            }
        }
        Path staging = stagingRoot.resolve(r.version() + "." + UUID.randomUUID());
        Path versionDir = layout.version(r.name(), r.version());
        boolean committed = false;
        try {
            Files.createDirectory(staging);
            Fs.fsyncDirectory(stagingRoot);
            say("copying " + sources.size() + " file(s), " + ByteSizes.human(total) + ", into " + staging);
            progress.addTotal(2 * total);
            List<ImageManifest.FileEntry> entries = new ArrayList<>();
            OrderedParallel.<Source, ImageManifest.FileEntry>run(sources, threads, "vault-promote",
                    s -> copyAndVerify(s, staging.resolve(s.name())), (s, entry, failure) -> {
                        if (failure != null) {
                            throw failure;
                        }
                        say("  " + ChecksumLines.oneLine(s.name()) + "  " + ByteSizes.human(entry.size()) + "  sha256 " + entry.sha256()
                                + "  (copy re-read and verified)");
                        entries.add(entry);
                    });
            refuseReuse(session, r, entries);
            ImageManifest manifest = new ImageManifest(r.name(), r.version(),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS), r.actor().toManifest(), entries,
                    ImageManifest.Gate.of(gate), provenance);
            byte[] manifestBytes = ManifestJson.write(manifest);
            Fs.writeNew(staging.resolve(RepositoryLayout.MANIFEST), manifestBytes);
            Map<String, byte[]> attached = VersionFiles.attest(r.attestation(), manifest, manifestBytes, r.channels(),
                    r.actor().host(), this::say);
            for (Map.Entry<String, byte[]> a : attached.entrySet()) {
                if (!a.getKey().equals(Attestation.SUMS_SIG)) {
                    Fs.writeNew(staging.resolve(a.getKey()), a.getValue());
                }
            }
            byte[] sumsBytes = VersionFiles.sums(manifest, manifestBytes, attached);
            Fs.writeNew(staging.resolve(RepositoryLayout.SUMS), sumsBytes);
            byte[] sumsSignature = VersionFiles.signSums(r.attestation(), sumsBytes);
            if (sumsSignature != null) {
                Fs.writeNew(staging.resolve(Attestation.SUMS_SIG), sumsSignature);
            }
            for (Path file : listFiles(staging)) {
                makeReadOnly(file);
            }
            Fs.fsyncDirectory(staging);
            Fs.createDirectories(layout.image(r.name()));
            // The one step that publishes the version: before it nothing is visible, after it all is.
            Fs.atomicRename(staging, versionDir);
            committed = true;
            Fs.fsyncDirectory(layout.image(r.name()));
            Fs.fsyncDirectory(stagingRoot);
            say("promoted " + r.name() + " " + r.version() + " into " + versionDir);
            return manifest;
        } catch (IOException e) {
            if (committed) {
                throw new RepositoryException("promoted " + versionDir + " but could not make it durable: "
                        + IoErrors.reason(e), e);
            }
            removeStaging(staging, stagingRoot);
            if (e instanceof RepositoryException) {
                throw e;
            }
            if (IoErrors.isNoSpace(e)) {
                throw new RepositoryException("the filesystem of " + layout.root() + " is full (No space left on device)"
                        + " while writing " + r.name() + " " + r.version() + " (" + ByteSizes.human(total)
                        + "); nothing was promoted and the partial copy was removed", e);
            }
            throw new RepositoryException("promotion of " + r.name() + " " + r.version() + " failed: "
                    + IoErrors.reason(e) + "; nothing was promoted and the partial copy was removed", e);
        } catch (InterruptedException | PromotionRefusedException | RuntimeException | Error e) {
            if (!committed) {
                removeStaging(staging, stagingRoot);
            }
            throw e;
        } catch (Exception e) {
            removeStaging(staging, stagingRoot);
            throw new IllegalStateException(e);
        }
    }

    private ImageManifest.FileEntry copyAndVerify(Source source, Path target) throws IOException, InterruptedException {
        VerifiedCopy.Result copied;
        try (FileChannel in = FileChannel.open(source.path(), StandardOpenOption.READ)) {
            copied = new VerifiedCopy().copy(in, target, progress);
            if (copied.written().size() != source.size() || in.size() != source.size()
                    || !Files.getLastModifiedTime(source.path()).equals(source.modified())) {
                throw new RepositoryException(source.path() + " changed while it was being copied; nothing was promoted");
            }
        }
        if (!copied.verified()) {
            throw new RepositoryException("the copy of " + ChecksumLines.oneLine(source.name())
                    + " does not read back as written (sha256 " + copied.reread().sha256() + ", "
                    + copied.reread().size() + " bytes; written " + copied.written().sha256() + ", "
                    + copied.written().size() + " bytes); nothing was promoted");
        }
        return new ImageManifest.FileEntry(source.name(), copied.written().size(), copied.written().sha256());
    }

    /**
     * A version removed by gc is not reborn with other content: whoever fetched it before must
     * never get different bytes under the same name.
     */
    private void refuseReuse(ImageRepository.WriterSession session, PromotionRequest r,
            List<ImageManifest.FileEntry> files) throws IOException, PromotionRefusedException {
        for (JsonNode e : session.repository.auditLog().read(p -> { })) {
            if (!r.name().equals(e.path("image").asText()) || !r.version().equals(e.path("version").asText())
                    || !e.has("files") || !("created".equals(e.path("outcome").asText())
                            || "recovered".equals(e.path("outcome").asText()))) {
                continue;
            }
            Map<String, String> before = new HashMap<>();
            e.path("files").forEach(f -> before.put(f.path("name").asText() + "\0" + f.path("size").asLong(),
                    f.path("sha256").asText()));
            Map<String, String> now = new HashMap<>();
            files.forEach(f -> now.put(f.name() + "\0" + f.size(), f.sha256()));
            if (!before.equals(now)) {
                throw new PromotionRefusedException(r.name() + " " + r.version() + " was promoted before (" + e.path("time").asText()
                        + ") with other content and later removed; versions are never reused: promote under a new version");
            }
        }
    }

    private List<ChannelMove> setChannels(ImageRepository repo, PromotionRequest r) throws IOException {
        List<ChannelMove> moves = new ArrayList<>();
        if (r.channels().isEmpty()) {
            return moves;
        }
        RepositoryLayout layout = repo.layout();
        Fs.createDirectories(layout.channels(r.name()));
        for (String channel : r.channels()) {
            String before = repo.channel(r.name(), channel);
            ChannelMove move = new ChannelMove(channel, before, r.version());
            if (move.changed()) {
                Fs.replaceSymlink(layout.channel(r.name(), channel), Path.of("..", r.version()));
                say("channel " + channel + ": " + (before == null ? "(new)" : before) + " -> " + r.version());
            } else {
                say("channel " + channel + " already points to " + r.version());
            }
            moves.add(move);
        }
        return moves;
    }

    private static List<Path> listFiles(Path dir) throws IOException {
        try (var stream = Files.list(dir)) {
            return stream.toList();
        }
    }

    private static void makeReadOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        } catch (UnsupportedOperationException e) {
            file.toFile().setReadOnly();
        }
    }

    private void removeStaging(Path staging, Path stagingRoot) {
        try {
            Fs.deleteTree(staging);
            Fs.fsyncDirectory(stagingRoot);
        } catch (IOException cleanup) {
            say("could not remove " + staging + ": " + IoErrors.reason(cleanup) + " (the next promotion removes it)");
        }
    }

    private void say(String message) {
        progress.printAbove(() -> log.accept(message));
    }
}
