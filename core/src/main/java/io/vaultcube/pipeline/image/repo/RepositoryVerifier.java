package io.vaultcube.pipeline.image.repo;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcube.pipeline.image.ByteSizes;
import io.vaultcube.pipeline.image.ChecksumLines;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.HashResult;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.IoErrors;
import io.vaultcube.pipeline.image.ManifestJson;
import io.vaultcube.pipeline.image.OrderedParallel;
import io.vaultcube.pipeline.image.ProgressMeter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Re-hashes every file of every version (or of one image, or one version) against its manifest and
 * SHA256SUMS, checks that nothing is missing or extra, and that every channel points at a complete
 * version. Takes no lock: it reads what readers read. A version removed by a concurrent gc while it
 * is being verified is a note, not damage.
 */
public final class RepositoryVerifier {
    private final FileHasher hasher;
    private final int threads;
    private final ProgressMeter progress;
    private final Consumer<String> out;

    public RepositoryVerifier(FileHasher hasher, int threads, ProgressMeter progress, Consumer<String> out) {
        this.hasher = hasher;
        this.threads = Math.max(1, threads);
        this.progress = progress == null ? ProgressMeter.silent() : progress;
        this.out = out;
    }

    /**
     * @param image only this image, or null for all
     * @param version only this version of {@code image}, or null for all
     */
    public VerifyReport verify(ImageRepository repo, String image, String version)
            throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int[] versions = {0};
        int[] files = {0};
        long[] bytes = {0};
        List<String> images = image == null ? repo.images() : List.of(Names.image(image));
        if (image != null && !Files.isDirectory(repo.layout().image(image), LinkOption.NOFOLLOW_LINKS)
                && !Files.isSymbolicLink(repo.layout().image(image))) {
            problems.add(image + ": no such image in " + repo.root());
        }
        plantedLinks(repo, problems);
        Set<String> audited = audited(repo, notes);
        for (String name : images) {
            Map<String, Boolean> complete = new HashMap<>();
            List<String> toCheck = version == null ? repo.versions(name) : List.of(Names.version(version));
            for (String v : toCheck) {
                List<String> found = new ArrayList<>();
                VersionStats stats = verifyVersion(repo, name, v, found);
                Path dir = repo.layout().version(name, v);
                if (!found.isEmpty() && version == null && !Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    notes.add(name + "/" + v + ": removed (gc) while it was being verified");
                    continue;
                }
                complete.put(v, found.isEmpty());
                if (found.isEmpty()) {
                    versions[0]++;
                    files[0] += stats.files();
                    bytes[0] += stats.bytes();
                    say("OK      " + name + "/" + v + "  (" + stats.files() + " file(s), " + ByteSizes.human(stats.bytes()) + ")");
                    if (!audited.contains(name + "\0" + v)) {
                        notes.add(name + "/" + v + ": not in the audit log yet (its promotion stopped after publishing"
                                + " it; the next promotion or gc of " + name + " records it)");
                    }
                } else {
                    for (String p : found) {
                        say("FAILED  " + name + "/" + v + ": " + p);
                        problems.add(name + "/" + v + ": " + p);
                    }
                }
            }
            verifyChannels(repo, name, version, complete, problems, notes);
            if (version == null) {
                looseEntries(repo, name, problems, notes);
            }
        }
        return new VerifyReport(versions[0], files[0], bytes[0], problems, notes);
    }

    private record VersionStats(int files, long bytes) {
    }

    /**
     * What is wrong with one stored version: its files re-hashed against its manifest and
     * SHA256SUMS, nothing missing or extra. Empty when the version is whole.
     */
    public List<String> damage(ImageRepository repo, String image, String version)
            throws IOException, InterruptedException {
        List<String> found = new ArrayList<>();
        verifyVersion(repo, image, version, found);
        return found;
    }

    private VersionStats verifyVersion(ImageRepository repo, String image, String version, List<String> found)
            throws IOException, InterruptedException {
        Path dir = repo.layout().version(image, version);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            found.add("no such version");
            return new VersionStats(0, 0);
        }
        Path manifestFile = dir.resolve(RepositoryLayout.MANIFEST);
        byte[] manifestBytes;
        ImageManifest manifest;
        try {
            if (Files.isSymbolicLink(manifestFile)) {
                found.add(Fs.describeLink(manifestFile) + ", not a file of the repository");
                return new VersionStats(0, 0);
            }
            manifestBytes = Fs.readNoFollow(manifestFile);
            manifest = ManifestJson.read(manifestBytes, RepositoryLayout.MANIFEST);
        } catch (NoSuchFileException e) {
            found.add(RepositoryLayout.MANIFEST + " is missing");
            return new VersionStats(0, 0);
        } catch (IOException e) {
            found.add(e.getMessage());
            return new VersionStats(0, 0);
        }
        if (!manifest.name().equals(image) || !manifest.version().equals(version)) {
            found.add(RepositoryLayout.MANIFEST + " describes " + manifest.name() + "/" + manifest.version());
        }
        checkSums(dir, manifest, manifestBytes, found);

        Set<String> expected = new HashSet<>(List.of(RepositoryLayout.MANIFEST, RepositoryLayout.SUMS));
        manifest.files().forEach(f -> expected.add(f.name()));
        // The attestation files (SBOM, statement, signatures) may sit beside the manifest; SHA256SUMS
        // lists them (checkSums), and vault images verify --allowed-signers checks the signatures.
        expected.addAll(io.vaultcube.pipeline.image.attest.Attestation.ALL);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!expected.contains(name)) {
                    found.add("unexpected file " + shown(name) + " (not in the manifest)");
                }
            }
        }
        List<ImageManifest.FileEntry> present = new ArrayList<>();
        for (ImageManifest.FileEntry f : manifest.files()) {
            Path file = dir.resolve(f.name());
            if (Files.isSymbolicLink(file)) {
                found.add(shown(f.name()) + " is a symbolic link, not the promoted file");
            } else if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                found.add(shown(f.name()) + " is missing");
            } else if (Files.size(file) != f.size()) {
                found.add(shown(f.name()) + " has " + Files.size(file) + " bytes, the manifest says " + f.size());
            } else {
                present.add(f);
                progress.addTotal(f.size());
            }
        }
        long[] bytes = {0};
        try {
            OrderedParallel.<ImageManifest.FileEntry, HashResult>run(present, threads, "vault-verify",
                    f -> hasher.hash(dir.resolve(f.name()), progress), (f, result, failure) -> {
                        if (failure instanceof InterruptedException e) {
                            throw e;
                        }
                        if (failure != null) {
                            found.add(shown(f.name()) + ": cannot read: "
                                    + (failure instanceof IOException io ? IoErrors.reason(io) : failure.toString()));
                        } else if (!result.sha256().equals(f.sha256())) {
                            found.add(shown(f.name()) + ": sha256 mismatch: the manifest says " + f.sha256()
                                    + ", the file has " + result.sha256());
                        } else if (result.size() != f.size()) {
                            found.add(shown(f.name()) + ": read " + result.size() + " bytes, the manifest says " + f.size());
                        } else {
                            bytes[0] += result.size();
                        }
                    });
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new VersionStats(manifest.files().size(), bytes[0]);
    }

    /** SHA256SUMS must list exactly the manifest's files with the manifest's digests, and the manifest itself. */
    private static void checkSums(Path dir, ImageManifest manifest, byte[] manifestBytes, List<String> found)
            throws IOException {
        byte[] sums;
        try {
            if (Files.isSymbolicLink(dir.resolve(RepositoryLayout.SUMS))) {
                found.add(RepositoryLayout.SUMS + " is a symbolic link, not a file of the repository");
                return;
            }
            sums = Fs.readNoFollow(dir.resolve(RepositoryLayout.SUMS));
        } catch (NoSuchFileException e) {
            found.add(RepositoryLayout.SUMS + " is missing");
            return;
        }
        Map<String, String> expected = new LinkedHashMap<>();
        manifest.files().forEach(f -> expected.put(f.name(), f.sha256()));
        expected.put(RepositoryLayout.MANIFEST, FileHasher.hash(manifestBytes).sha256());
        for (String name : io.vaultcube.pipeline.image.attest.Attestation.LISTED) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                expected.put(name, FileHasher.hash(Fs.readNoFollow(file)).sha256());
            }
        }
        Map<String, String> listed = new LinkedHashMap<>();
        ChecksumLines.Parser parser = new ChecksumLines.Parser();
        String text = new String(sums, StandardCharsets.UTF_8);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            found.add(RepositoryLayout.SUMS + " does not end with a newline");
        }
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            ChecksumLines.Entry entry = parser.parse(line);
            if (entry == null) {
                found.add(RepositoryLayout.SUMS + " has an improperly formatted line: " + shown(line));
            } else if (listed.put(entry.name(), entry.sha256().toLowerCase(Locale.ROOT)) != null) {
                found.add(RepositoryLayout.SUMS + " lists " + shown(entry.name()) + " twice");
            }
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String sum = listed.get(e.getKey());
            if (sum == null) {
                found.add(RepositoryLayout.SUMS + " does not list " + shown(e.getKey()));
            } else if (!sum.equals(e.getValue())) {
                found.add(RepositoryLayout.SUMS + " disagrees about " + shown(e.getKey()) + ": " + sum + ", expected "
                        + e.getValue());
            }
        }
        for (String name : listed.keySet()) {
            if (!expected.containsKey(name)) {
                found.add(RepositoryLayout.SUMS + " lists " + shown(name) + ", which the manifest does not");
            }
        }
    }

    private void verifyChannels(ImageRepository repo, String image, String onlyVersion, Map<String, Boolean> complete,
            List<String> problems, List<String> notes) throws IOException {
        Path dir = repo.layout().channels(image);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isSymbolicLink(dir)) {
                problems.add(image + ": " + Fs.describeLink(dir) + "; channels must be a directory of the repository");
            } else if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(image + ": " + RepositoryLayout.CHANNELS + " is not a directory");
            }
            return;
        }
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        }
        for (String name : names) {
            Path link = dir.resolve(name);
            if (name.startsWith(".")) {
                notes.add(image + ": channels/" + shown(name) + ": a temporary link left by an interrupted promotion"
                        + " (removed by the next one)");
                continue;
            }
            if (!Names.isChannel(name)) {
                problems.add(image + ": channels/" + shown(name) + ": not a channel name");
                continue;
            }
            if (!Files.isSymbolicLink(link)) {
                problems.add(image + ": channel " + name + " is not a symlink");
                continue;
            }
            String raw = Files.readSymbolicLink(link).toString();
            String target = ImageRepository.channelTarget(link);
            if (!raw.equals("../" + target)) {
                problems.add(image + ": channel " + name + " points to " + raw + ", not to a version (../VERSION)");
                continue;
            }
            if (onlyVersion != null && !onlyVersion.equals(target)) {
                continue;
            }
            Boolean ok = complete.get(target);
            if (ok == null) {
                problems.add(image + ": channel " + name + " points to " + target + ", which does not exist");
            } else if (!ok) {
                problems.add(image + ": channel " + name + " points to " + target + ", which failed verification");
            } else {
                say("OK      " + image + " channel " + name + " -> " + target);
            }
        }
    }

    /** Anything in an image directory that is neither a version nor the channels. */
    private static void looseEntries(ImageRepository repo, String image, List<String> problems, List<String> notes)
            throws IOException {
        Path dir = repo.layout().image(image);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean version = Names.isVersion(name) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS);
                if (Files.isSymbolicLink(entry)) {
                    problems.add(image + ": " + Fs.describeLink(entry) + "; a version is a directory of the repository,"
                            + " never a link");
                } else if (!version && !RepositoryLayout.CHANNELS.equals(name)) {
                    problems.add(image + ": unexpected entry " + shown(name) + " (neither a version nor channels)");
                }
            }
        }
        for (Path leftover : List.of(repo.layout().staging(image), repo.layout().trash(image))) {
            if (Files.isDirectory(leftover, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(leftover)) {
                    for (Path entry : entries) {
                        notes.add(image + ": " + repo.root().relativize(entry) + " was left by an interrupted"
                                + " promotion or gc (hidden from readers; removed by the next one)");
                    }
                }
            }
        }
    }

    /**
     * Links the repository did not make: anything at its top level, anywhere under {@code .vault},
     * or an image directory. A writer refuses to work through them; verify names them.
     */
    private static void plantedLinks(ImageRepository repo, List<String> problems) throws IOException {
        Path root = repo.root();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                if (Files.isSymbolicLink(entry)) {
                    problems.add(Fs.describeLink(entry) + ": the repository holds no links but its channels,"
                            + " and a writer refuses to work through this one; remove it");
                }
            }
        }
        Path meta = repo.layout().meta();
        if (!Files.isDirectory(meta, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(meta, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isSymbolicLink()) {
                    problems.add(Fs.describeLink(file) + ": the repository's bookkeeping holds no links, and a"
                            + " writer refuses to work through this one; remove it");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // removed by a concurrent writer
                }
                throw exc;
            }
        });
    }

    private static Set<String> audited(ImageRepository repo, List<String> notes) throws IOException {
        Set<String> audited = new HashSet<>();
        if (Files.isSymbolicLink(repo.layout().auditLog())) {
            return audited; // reported as a planted link, never read through
        }
        for (JsonNode e : repo.auditLog().read(p -> notes.add("audit log: " + p))) {
            String outcome = e.path("outcome").asText();
            String key = e.path("image").asText() + "\0" + e.path("version").asText();
            if ("created".equals(outcome) || "recovered".equals(outcome)) {
                audited.add(key);
            } else if ("removed".equals(outcome)) {
                audited.remove(key);
            }
        }
        return audited;
    }

    private static String shown(String name) {
        return ChecksumLines.oneLine(name);
    }

    private void say(String line) {
        progress.printAbove(() -> out.accept(line));
    }
}
