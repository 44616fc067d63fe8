package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.image.ByteSizes;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.ManifestJson;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.repo.Actor;
import io.vaultcube.pipeline.image.repo.GarbageCollector;
import io.vaultcube.pipeline.image.repo.ImageRepository;
import io.vaultcube.pipeline.image.repo.Names;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import io.vaultcube.pipeline.image.repo.RepositoryVerifier;
import io.vaultcube.pipeline.image.repo.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault images list|show|verify|gc|push|diff}: reads and maintains a promotion repository. */
@Command(
        header = "List, show, verify and garbage-collect an image repository.",
        name = "images",
        mixinStandardHelpOptions = true,
        description = {"Lists, shows, verifies and garbage-collects the images of a promotion repository."},
        subcommands = {
            ImagesCommand.ListCommand.class,
            ImagesCommand.ShowCommand.class,
            ImagesCommand.VerifyCommand.class,
            ImagesCommand.GcCommand.class,
            ImagesPushCommand.class,
            ImagesDiffCommand.class,
        })
final class ImagesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw SubcommandRequired.error(spec);
    }

    static String name(String value, UnaryOperator<String> check) {
        try {
            return check.apply(value);
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
    }

    /** {@code vault images list --repo DIR}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            header = "List every image with its versions and channels.",
            description = {"Lists every image, its versions (newest first) and its channels."})
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--repo", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX", description = "The repository.")
        String repo;

        @Mixin
        S3Options s3;

        @Option(names = "--json", description = "Print one JSON object.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            if (S3Options.isS3(repo)) {
                return S3Images.list(spec, s3, repo, json);
            }
            ImageRepository repository = ImageRepository.open(Path.of(repo));
            PrintWriter err = spec.commandLine().getErr();
            ImageListing listing = new ImageListing(repository.root().toString());
            for (String image : repository.images()) {
                List<ImageListing.Entry> versions = new ArrayList<>();
                for (ImageManifest m : repository.manifestsNewestFirst(image, p -> err.println("vault images list: " + p))) {
                    versions.add(new ImageListing.Entry(m, null));
                }
                listing.add(image, repository.channels(image), versions);
            }
            listing.print(spec.commandLine().getOut(), json);
            return ExitCodes.OK;
        }
    }

    /** {@code vault images show --repo DIR NAME [VERSION]}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            header = "Show the manifest of a version, or of a channel's version.",
            description = {"Shows the manifest of a version (or of the version a channel points to)."})
    static final class ShowCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--repo", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX", description = "The repository.")
        String repo;

        @Mixin
        S3Options s3;

        @Parameters(index = "0", paramLabel = "NAME", description = "The image.")
        String image;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "The version (default: see --channel).")
        String version;

        @Option(names = "--channel", paramLabel = "CHANNEL", description = "Show the version this channel points to.")
        String channel;

        @Option(names = "--json", description = "Print manifest.json as it is stored.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            if (S3Options.isS3(repo)) {
                return S3Images.show(spec, s3, repo, image, version, channel, json);
            }
            ImageRepository repository = ImageRepository.open(Path.of(repo));
            name(image, Names::image);
            // Before the VERSION/--channel check: for an unknown image, neither would help.
            if (!repository.images().contains(image)) {
                throw CliException.usage("no image '" + image + "' in " + repository.root());
            }
            if ((version == null) == (channel == null)) {
                throw CliException.usage("give a VERSION or --channel CHANNEL");
            }
            String v = version;
            if (channel != null) {
                v = repository.channel(image, name(channel, Names::channel));
                if (v == null) {
                    throw CliException.usage("image " + image + " has no channel " + channel);
                }
            }
            name(v, Names::version);
            Path manifestFile = repository.layout().version(image, v).resolve(ManifestJson.FILE_NAME);
            if (!Files.isRegularFile(manifestFile)) {
                throw CliException.usage("no version " + image + "/" + v + " in " + repository.root());
            }
            PrintWriter out = spec.commandLine().getOut();
            byte[] bytes = Files.readAllBytes(manifestFile);
            if (json) {
                out.print(new String(bytes, StandardCharsets.UTF_8));
                out.flush();
                return ExitCodes.OK;
            }
            ImageManifest m = ManifestJson.read(bytes, manifestFile.toString());
            out.print(m.name() + " " + m.version() + "\n");
            out.print("  created      " + m.created() + " by " + m.promotedBy().user() + "@" + m.promotedBy().host() + "\n");
            out.print("  gate         " + m.gate().verdict() + " (report sha256 " + m.gate().reportSha256()
                    + (m.gate().policyName() == null ? "" : ", policy " + m.gate().policyName()) + ")\n");
            Map<String, String> channels = repository.channels(image);
            List<String> pointing = channels.entrySet().stream().filter(e -> e.getValue().equals(m.version()))
                    .map(Map.Entry::getKey).toList();
            out.print("  channels     " + (pointing.isEmpty() ? "-" : String.join(", ", pointing)) + "\n");
            out.print("  directory    " + repository.layout().version(image, m.version()) + "\n");
            out.print("  files        " + m.files().size() + ", " + ByteSizes.human(m.totalSize()) + "\n");
            for (ImageManifest.FileEntry f : m.files()) {
                out.print("    " + f.sha256() + "  " + f.size() + "  " + f.name().replace("\n", "\\n") + "\n");
            }
            ImageManifest.Provenance p = m.provenance();
            if (p.packer() != null) {
                out.print("  packer run   " + p.packer().lastRunUuid() + "\n");
                for (ImageManifest.PackerBuild b : p.packer().builds()) {
                    out.print("    build " + b.name() + " (" + b.builderType() + "): artifact " + b.artifactId() + "\n");
                }
            }
            if (p.git() != null) {
                out.print("  git commit   " + p.git().commit() + (Boolean.TRUE.equals(p.git().dirty()) ? " (dirty)" : "") + "\n");
            }
            p.tools().forEach((tool, tv) -> out.print("  tool         " + tool + " " + tv + "\n"));
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** {@code vault images verify --repo DIR [NAME [VERSION]]}. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            header = "Re-hash every file of the repository and check its channels.",
            description = "Re-hashes every file against its manifest and SHA256SUMS, and checks that every channel"
                    + " points at a complete version. Exit 1 on any problem.")
    static final class VerifyCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--repo", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX", description = "The repository.")
        String repo;

        @Mixin
        S3Options s3;

        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this image.")
        String image;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "Only this version.")
        String version;

        @Option(names = "--threads", paramLabel = "N", description = "Files hashed at once (default: the number of cores).")
        Integer threads;

        @Option(names = "--progress", negatable = true,
                description = "Draw a progress line on stderr (default: when stderr is a terminal).")
        Boolean progress;

        @Option(names = "--allowed-signers", paramLabel = "FILE",
                description = "Also require each version's signed provenance: provenance.intoto.json and SHA256SUMS"
                        + " signed (ssh-keygen -Y, namespace vault-image) by a key of this allowed-signers file, and"
                        + " every subject of the statement unchanged.")
        Path allowedSigners;

        @Override
        public Integer call() throws Exception {
            if (allowedSigners != null && !Files.isRegularFile(allowedSigners)) {
                throw new CliException(ExitCodes.USAGE, "no allowed signers file at " + allowedSigners);
            }
            if (S3Options.isS3(repo)) {
                return S3Images.verify(spec, s3, repo, image, version, threads, progress, allowedSigners);
            }
            ImageRepository repository = ImageRepository.open(Path.of(repo));
            if (image != null) {
                name(image, Names::image);
            }
            if (version != null) {
                name(version, Names::version);
            }
            PrintWriter out = spec.commandLine().getOut();
            VerifyReport report;
            try (ProgressMeter meter = ChecksumCommand.progressMeter(spec, progress, "verify")) {
                report = new RepositoryVerifier(new FileHasher(), ChecksumCommand.threads(threads), meter, lines(out))
                        .verify(repository, image, version);
            }
            int signed = -1;
            if (allowedSigners != null) {
                List<String> problems = new ArrayList<>(report.problems());
                signed = 0;
                for (String img : image == null ? repository.images() : List.of(image)) {
                    for (String v : version == null ? repository.versions(img) : List.of(version)) {
                        List<String> found = io.vaultcube.pipeline.image.attest.AttestationVerifier.verify(
                                repository.layout().version(img, v), allowedSigners);
                        found.forEach(f -> problems.add(img + "/" + v + ": " + f));
                        if (found.isEmpty()) {
                            signed++;
                            out.print("SIGNED  " + img + "/" + v + "  (provenance and SHA256SUMS signed by an allowed"
                                    + " signer; every subject unchanged)\n");
                        }
                    }
                }
                report = new VerifyReport(report.versions(), report.files(), report.bytes(), problems, report.notes());
            }
            return printReport(spec, report, repository.root().toString(), signed, allowedSigners);
        }
    }

    /** A line consumer that writes to {@code out} at once (progress lines of verify and gc). */
    static Consumer<String> lines(PrintWriter out) {
        return line -> {
            out.print(line + "\n");
            out.flush();
        };
    }

    /**
     * Prints a verify report, the same for both repositories: notes, the signature count (when
     * {@code signed} is not negative), then "verified ..." or every problem; the exit code.
     */
    static int printReport(CommandSpec spec, VerifyReport report, String where, int signed, Path allowedSigners) {
        PrintWriter out = spec.commandLine().getOut();
        for (String note : report.notes()) {
            out.print("note: " + note + "\n");
        }
        if (report.ok()) {
            if (signed >= 0) {
                out.print("signatures: " + signed + " version(s) verified against " + allowedSigners + "\n");
            }
            out.print("verified " + report.versions() + " version(s), " + report.files() + " file(s), "
                    + ByteSizes.human(report.bytes()) + ": no problems\n");
            out.flush();
            return ExitCodes.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String problem : report.problems()) {
            err.print("vault images verify: " + problem + "\n");
        }
        err.print("vault images verify: " + report.problems().size() + " problem(s) in " + where + "\n");
        out.flush();
        err.flush();
        return ExitCodes.FAILURE;
    }

    /** Prints what gc did, the same for both repositories; the exit code. */
    static int printResult(CommandSpec spec, GarbageCollector.Result result, boolean dryRun) {
        PrintWriter out = spec.commandLine().getOut();
        out.print((dryRun ? "would remove " : "removed ") + result.removed().size() + " version(s), "
                + ByteSizes.human(result.bytesFreed()) + "; kept " + result.kept().size() + "\n");
        out.flush();
        if (!result.problems().isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            result.problems().forEach(p -> err.print("vault images gc: " + p + "\n"));
            err.flush();
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    /** {@code vault images gc --repo DIR --keep N}. */
    @Command(name = "gc", mixinStandardHelpOptions = true,
            header = "Remove old versions; keep the newest and every channel's.",
            description = "Removes old versions: keeps the N newest of each image (by creation time) plus every"
                    + " version a channel points to. A version leaves by one atomic rename.")
    static final class GcCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--repo", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX", description = "The repository.")
        String repo;

        @Mixin
        S3Options s3;

        @Option(names = "--keep", required = true, paramLabel = "N", description = "How many of the newest versions to keep.")
        int keep;

        @Parameters(paramLabel = "NAME", arity = "0..*", description = "Only these images (default: all).")
        List<String> images = new ArrayList<>();

        @Option(names = "--dry-run", description = "Say what would be removed; remove nothing.")
        boolean dryRun;

        @Option(names = "--lock-timeout", paramLabel = "SECONDS",
                description = "Give up after waiting this long for a promotion of the image (default: wait).")
        Long lockTimeout;

        @Option(names = "--abandoned-after", paramLabel = "SECONDS", defaultValue = "86400",
                description = "S3 only: abort multipart uploads and remove unpublished uploads older than this"
                        + " (default: ${DEFAULT-VALUE}); it must exceed the longest promotion.")
        long abandonedAfter;

        @Override
        public Integer call() throws Exception {
            if (keep < 0) {
                throw CliException.usage("--keep must be 0 or more");
            }
            images.forEach(i -> name(i, Names::image));
            if (S3Options.isS3(repo)) {
                return S3Images.gc(spec, s3, repo, images, keep, dryRun, abandonedAfter);
            }
            ImageRepository repository = ImageRepository.open(Path.of(repo));
            GarbageCollector.Result result;
            try {
                result = new GarbageCollector(lines(spec.commandLine().getOut())).collect(repository, images, keep, dryRun,
                        Actor.current(), lockTimeout == null ? null : Duration.ofSeconds(lockTimeout));
            } catch (RepositoryException e) {
                throw new CliException(ExitCodes.FAILURE, e.getMessage());
            }
            return printResult(spec, result, dryRun);
        }
    }

    static void printTable(PrintWriter out, String[] header, List<String[]> rows) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] row : rows) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (String[] row : all) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                b.append(i == row.length - 1 ? row[i] : String.format("%-" + width[i] + "s  ", row[i]));
            }
            out.print(b.toString().stripTrailing() + "\n");
        }
    }
}
