package io.vaultcube.pipeline.image.repo.s3;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcube.pipeline.image.ByteSizes;
import io.vaultcube.pipeline.image.ChecksumLines;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.HashResult;
import io.vaultcube.pipeline.image.ImageJson;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.ManifestJson;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.attest.Attestation;
import io.vaultcube.pipeline.image.attest.AttestationVerifier;
import io.vaultcube.pipeline.image.repo.Names;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import io.vaultcube.pipeline.image.repo.RepositoryLayout;
import io.vaultcube.pipeline.image.repo.VerifyReport;
import io.vaultcube.pipeline.image.repo.VersionFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code vault images verify} for an S3 repository: streams every file of every visible version
 * back and hashes it against the manifest and SHA256SUMS, checks that the attempt holds nothing
 * missing or extra, that the data's manifest.json is the commit record byte for byte, and that
 * every channel's newest record points at a version that verified. Notes (not damage): multipart
 * uploads in progress or abandoned, unpublished attempts, losing records of concurrent
 * promotions, versions without an audit event.
 */
public final class S3Verifier {
    private final int threads;
    private final ProgressMeter progress;
    private final Consumer<String> out;
    private final Path allowedSigners;
    private int signed;

    public S3Verifier(int threads, ProgressMeter progress, Consumer<String> out) {
        this(threads, progress, out, null);
    }

    /**
     * With {@code allowedSigners}, each version that verified must also carry signed provenance:
     * its statement and SHA256SUMS signed by a key of that file, every subject unchanged (the image
     * files' digests are those just streamed back).
     */
    public S3Verifier(int threads, ProgressMeter progress, Consumer<String> out, Path allowedSigners) {
        this.threads = Math.max(1, threads);
        this.progress = progress == null ? ProgressMeter.silent() : progress;
        this.out = out;
        this.allowedSigners = allowedSigners;
    }

    /** How many versions the last {@link #verify} found signed by an allowed signer. */
    public int signed() {
        return signed;
    }

    public VerifyReport verify(S3ImageRepository repo, String image, String version) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int versions = 0;
        signed = 0;
        int files = 0;
        long bytes = 0;
        S3Store store = repo.store();
        S3Layout layout = repo.layout();
        List<String> images = image == null ? repo.images() : List.of(Names.image(image));
        Set<String> audited = new HashSet<>();
        for (JsonNode e : repo.auditEntries(notes::add)) {
            String outcome = e.path("outcome").asText();
            if ("created".equals(outcome) || "unchanged".equals(outcome) || "removed".equals(outcome)) {
                audited.add(e.path("image").asText() + "/" + e.path("version").asText());
            }
        }
        for (String img : images) {
            Map<String, List<S3ImageRepository.Commit>> commits = repo.commits(img);
            if (image != null && commits.isEmpty() && repo.channels(img).isEmpty()) {
                problems.add(img + ": no such image in " + repo.location());
                continue;
            }
            Set<String> good = new HashSet<>();
            Set<String> attempts = new HashSet<>();
            for (Map.Entry<String, List<S3ImageRepository.Commit>> e : commits.entrySet()) {
                e.getValue().forEach(c -> attempts.add(e.getKey() + "/" + c.attempt()));
                if (version != null && !version.equals(e.getKey())) {
                    continue;
                }
                String label = img + "/" + e.getKey();
                S3ImageRepository.Version v;
                try {
                    v = repo.resolve(img, e.getKey(), e.getValue());
                } catch (RepositoryException ex) {
                    throw ex;
                } catch (IOException ex) {
                    problems.add(label + ": " + ex.getMessage());
                    continue;
                }
                if (v == null) {
                    notes.add(label + " was removed while it was being verified");
                    continue;
                }
                out.accept("verifying " + label + " (" + v.manifest().files().size() + " file(s), "
                        + ByteSizes.human(v.manifest().totalSize()) + ")");
                List<String> damage = damage(repo, v);
                if (damage.isEmpty() && allowedSigners != null) {
                    damage = signatureProblems(repo, v);
                    if (damage.isEmpty()) {
                        signed++;
                        out.accept("SIGNED  " + label + "  (provenance and SHA256SUMS signed by an allowed signer;"
                                + " every subject unchanged)");
                    }
                }
                if (damage.isEmpty()) {
                    good.add(e.getKey());
                    versions++;
                    files += v.manifest().files().size();
                    bytes += v.manifest().totalSize();
                } else {
                    damage.forEach(d -> problems.add(label + ": " + d));
                }
                for (S3ImageRepository.Commit other : v.others()) {
                    byte[] b = store.get(other.key());
                    if (b == null) {
                        continue;
                    }
                    try {
                        ImageManifest m = ManifestJson.read(b, other.key());
                        notes.add(label + ": commit record of attempt " + other.attempt() + " lost to " + v.attempt()
                                + (sameContent(m.files(), v.manifest().files()) ? " (same files)" : " (other files: never shown)")
                                + "; vault images gc removes it");
                    } catch (IOException ex) {
                        notes.add(label + ": unreadable losing commit record " + other.attempt() + "; vault images gc removes it");
                    }
                }
                if (!audited.contains(label)) {
                    notes.add(label + " has no audit event (its promotion stopped after publishing it)");
                }
            }
            if (version == null) {
                claimNotes(repo, img, commits, notes);
                for (String attempt : unpublished(repo, img, attempts).keySet()) {
                    notes.add(img + "/" + attempt + ": data of an unpublished (interrupted or losing) promotion, never"
                            + " shown; vault images gc removes it");
                }
            }
            for (S3ImageRepository.Channel c : channelsOrProblem(repo, img, problems)) {
                if (version != null && !version.equals(c.version())) {
                    continue;
                }
                if (!commits.containsKey(c.version())) {
                    problems.add(img + ": channel " + c.name() + " points to " + c.version() + ", which does not exist");
                } else if (!good.contains(c.version()) && (version == null || version.equals(c.version()))) {
                    problems.add(img + ": channel " + c.name() + " points to " + c.version() + ", which did not verify");
                }
            }
        }
        for (MultipartUpload u : store.uploads(layout.root())) {
            notes.add("multipart upload in progress or abandoned: " + repo.location().relative(u.key()) + " (begun "
                    + u.initiated() + "); vault images gc aborts it");
        }
        return new VerifyReport(versions, files, bytes, problems, notes);
    }

    private static List<S3ImageRepository.Channel> channelsOrProblem(S3ImageRepository repo, String image,
            List<String> problems) throws RepositoryException {
        try {
            return new ArrayList<>(repo.channels(image).values());
        } catch (RepositoryException e) {
            throw e;
        } catch (IOException e) {
            problems.add(image + ": " + e.getMessage());
            return List.of();
        }
    }

    /**
     * Claim tickets a refused or interrupted promotion left: those of versions nobody published,
     * those claiming other content than the published version, and entering flags.
     */
    private static void claimNotes(S3ImageRepository repo, String image, Map<String, List<S3ImageRepository.Commit>> commits,
            List<String> notes) throws RepositoryException {
        for (Map.Entry<String, List<S3Object>> e : S3VersionClaims.claimObjects(repo, image).entrySet()) {
            String label = image + "/" + e.getKey();
            String published = null;
            if (commits.containsKey(e.getKey())) {
                try {
                    S3ImageRepository.Version v = repo.resolve(image, e.getKey(), commits.get(e.getKey()));
                    published = v == null ? null : S3Promoter.contentDigest(v.manifest().files());
                } catch (RepositoryException ex) {
                    throw ex;
                } catch (IOException ex) {
                    continue; // reported with the version
                }
            }
            String tickets = repo.layout().tickets(image, e.getKey());
            for (S3Object o : e.getValue()) {
                S3VersionClaims.Ticket t = S3VersionClaims.parseKey(o.key(), tickets);
                if (t == null) {
                    notes.add(label + ": a promotion choosing its claim ticket, or interrupted while it did ("
                            + repo.location().relative(o.key()) + ", written " + S3Store.modified(o)
                            + "); vault images gc removes it once abandoned");
                    continue;
                }
                if (published == null) {
                    notes.add(label + ": claim ticket of attempt " + t.attempt() + ", which published nothing (refused,"
                            + " interrupted or still running); vault images gc removes it once abandoned");
                    continue;
                }
                byte[] bytes = repo.store().get(o.key());
                if (bytes == null) {
                    continue;
                }
                String content;
                try {
                    content = ImageJson.parseObject(bytes, o.key()).path("content").asText("");
                } catch (IOException ex) {
                    content = "";
                }
                if (!published.equals(content)) {
                    notes.add(label + ": claim ticket of attempt " + t.attempt() + " with other files, which lost the"
                            + " race (its promotion was refused); vault images gc removes it once abandoned");
                }
            }
        }
    }

    /** Data attempts (VERSION/ATTEMPT) with no commit record, and their objects. */
    static Map<String, List<S3Object>> unpublished(S3ImageRepository repo, String image, Set<String> published)
            throws RepositoryException {
        String prefix = repo.layout().dataOfImage(image);
        Map<String, List<S3Object>> byAttempt = new TreeMap<>();
        for (S3Object o : repo.store().list(prefix)) {
            String[] parts = o.key().substring(prefix.length()).split("/", 3);
            if (parts.length < 3) {
                continue;
            }
            String attempt = parts[0] + "/" + parts[1];
            if (!published.contains(attempt)) {
                byAttempt.computeIfAbsent(attempt, a -> new ArrayList<>()).add(o);
            }
        }
        return byAttempt;
    }

    /**
     * The signed-provenance problems of a version whose stored copy was just found whole: its
     * manifest, SHA256SUMS and attestation files are fetched into a private temporary directory and
     * checked as a customer would; the image files are not fetched again (their digests were checked
     * against the manifest while streamed back).
     */
    private List<String> signatureProblems(S3ImageRepository repo, S3ImageRepository.Version v)
            throws IOException {
        Path dir = Files.createTempDirectory("vault-s3-provenance");
        try {
            String data = repo.layout().data(v.image(), v.version(), v.attempt());
            List<String> names = new ArrayList<>(List.of(RepositoryLayout.MANIFEST, RepositoryLayout.SUMS));
            names.addAll(Attestation.ALL);
            for (String name : names) {
                byte[] bytes = repo.store().get(data + name);
                if (bytes != null) {
                    Files.write(dir.resolve(name), bytes);
                }
            }
            Map<String, String> digests = new HashMap<>();
            v.manifest().files().forEach(f -> digests.put(f.name(), f.sha256()));
            return AttestationVerifier.verify(dir, allowedSigners, digests);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking the signatures of " + v.image() + "/" + v.version(), e);
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** What is wrong with a version's stored copy; empty when it is whole. */
    public List<String> damage(S3ImageRepository repo, S3ImageRepository.Version v) throws IOException {
        List<String> found = new ArrayList<>();
        S3Store store = repo.store();
        String data = repo.layout().data(v.image(), v.version(), v.attempt());
        Map<String, Long> listed = new HashMap<>();
        for (S3Object o : store.list(data)) {
            listed.put(o.key().substring(data.length()), o.size());
        }
        byte[] manifest = store.get(data + RepositoryLayout.MANIFEST);
        if (manifest == null) {
            found.add(RepositoryLayout.MANIFEST + " is missing from the data");
        } else if (!Arrays.equals(manifest, v.manifestBytes())) {
            found.add(RepositoryLayout.MANIFEST + " differs from the version's commit record");
        }
        // The SBOM, provenance statement and its signature, where the promotion attested: SHA256SUMS
        // lists them, so a changed one shows there (their signatures: verify --allowed-signers).
        Map<String, byte[]> attached = new LinkedHashMap<>();
        for (String name : Attestation.LISTED) {
            byte[] bytes = listed.containsKey(name) ? store.get(data + name) : null;
            if (bytes != null) {
                attached.put(name, bytes);
            }
        }
        byte[] sums = store.get(data + RepositoryLayout.SUMS);
        if (sums == null) {
            found.add(RepositoryLayout.SUMS + " is missing");
        } else if (!Arrays.equals(sums, VersionFiles.sums(v.manifest(), v.manifestBytes(), attached))) {
            found.add(RepositoryLayout.SUMS + " does not list exactly the manifest's files and digests, the manifest"
                    + (attached.isEmpty() ? "" : " and " + String.join(", ", attached.keySet())));
        }
        listed.remove(RepositoryLayout.MANIFEST);
        listed.remove(RepositoryLayout.SUMS);
        Attestation.ALL.forEach(listed::remove);
        for (ImageManifest.FileEntry f : v.manifest().files()) {
            Long size = listed.remove(f.name());
            String shown = ChecksumLines.oneLine(f.name());
            if (size == null) {
                found.add(shown + " is missing");
                continue;
            }
            if (size != f.size()) {
                found.add(shown + " has " + size + " bytes, the manifest says " + f.size());
                continue;
            }
            out.accept("  re-hashing " + shown + " (" + ByteSizes.human(f.size()) + ")");
            progress.addTotal(f.size());
            HashResult r = S3Uploader.hashObject(store, data + f.name(), progress);
            if (r.size() != f.size() || !r.sha256().equals(f.sha256())) {
                found.add(shown + " reads back as sha256 " + r.sha256() + " (" + r.size() + " bytes); the manifest says "
                        + f.sha256() + " (" + f.size() + " bytes)");
            }
        }
        for (String extra : listed.keySet()) {
            found.add("unexpected object " + ChecksumLines.oneLine(extra));
        }
        return found;
    }

    static boolean sameContent(List<ImageManifest.FileEntry> a, List<ImageManifest.FileEntry> b) {
        return S3Promoter.contentDigest(a).equals(S3Promoter.contentDigest(b));
    }
}
