package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.image.ByteSizes;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.repo.Actor;
import io.vaultcube.pipeline.image.repo.GarbageCollector;
import io.vaultcube.pipeline.image.repo.Names;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import io.vaultcube.pipeline.image.repo.VerifyReport;
import io.vaultcube.pipeline.image.repo.s3.S3GarbageCollector;
import io.vaultcube.pipeline.image.repo.s3.S3ImageRepository;
import io.vaultcube.pipeline.image.repo.s3.S3Store;
import io.vaultcube.pipeline.image.repo.s3.S3Verifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault images list|show|verify|gc} on an {@code s3://} repository: the same output as on a directory. */
final class S3Images {
    private S3Images() {
    }

    private static S3ImageRepository open(S3Store store) {
        try {
            return S3ImageRepository.open(store);
        } catch (RepositoryException e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage());
        }
    }

    /** Where a version's files are: s3://BUCKET/PREFIX/... of its committed attempt. */
    private static String dataLocation(S3ImageRepository repository, String image, S3ImageRepository.Version version) {
        return repository.location() + "/" + repository.location().relative(repository.layout().data(image,
                version.manifest().version(), version.attempt()));
    }

    static int list(CommandSpec spec, S3Options s3, String url, boolean json) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (S3Store store = s3.store(url)) {
            S3ImageRepository repository = open(store);
            ImageListing listing = new ImageListing(repository.location().toString());
            for (String image : repository.images()) {
                Map<String, String> channels = new TreeMap<>();
                repository.channels(image).forEach((c, record) -> channels.put(c, record.version()));
                List<ImageListing.Entry> versions = new ArrayList<>();
                for (S3ImageRepository.Version version : repository.versionsNewestFirst(image,
                        p -> err.println("vault images list: " + p))) {
                    versions.add(new ImageListing.Entry(version.manifest(), dataLocation(repository, image, version)));
                }
                listing.add(image, channels, versions);
            }
            listing.print(out, json);
            return ExitCodes.OK;
        } catch (RepositoryException e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage());
        }
    }

    static int show(CommandSpec spec, S3Options s3, String url, String image, String version, String channel,
            boolean json) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (S3Store store = s3.store(url)) {
            S3ImageRepository repository = open(store);
            ImagesCommand.name(image, Names::image);
            if (!repository.images().contains(image)) {
                throw CliException.usage("no image '" + image + "' in " + repository.location());
            }
            if ((version == null) == (channel == null)) {
                throw CliException.usage("give a VERSION or --channel CHANNEL");
            }
            String v = version;
            if (channel != null) {
                S3ImageRepository.Channel c = repository.channel(image, ImagesCommand.name(channel, Names::channel));
                if (c == null) {
                    throw CliException.usage("image " + image + " has no channel " + channel);
                }
                v = c.version();
            }
            ImagesCommand.name(v, Names::version);
            S3ImageRepository.Version found = repository.version(image, v);
            if (found == null) {
                throw CliException.usage("no version " + image + "/" + v + " in " + repository.location());
            }
            if (json) {
                out.print(new String(found.manifestBytes(), StandardCharsets.UTF_8));
                out.flush();
                return ExitCodes.OK;
            }
            ImageManifest m = found.manifest();
            out.print(m.name() + " " + m.version() + "\n");
            out.print("  created      " + m.created() + " by " + m.promotedBy().user() + "@" + m.promotedBy().host() + "\n");
            out.print("  gate         " + m.gate().verdict() + " (report sha256 " + m.gate().reportSha256()
                    + (m.gate().policyName() == null ? "" : ", policy " + m.gate().policyName()) + ")\n");
            List<String> pointing = new ArrayList<>();
            repository.channels(image).forEach((c, record) -> {
                if (record.version().equals(m.version())) {
                    pointing.add(c);
                }
            });
            out.print("  channels     " + (pointing.isEmpty() ? "-" : String.join(", ", pointing)) + "\n");
            out.print("  location     " + dataLocation(repository, image, found) + "\n");
            out.print("  files        " + m.files().size() + ", " + ByteSizes.human(m.totalSize()) + "\n");
            for (ImageManifest.FileEntry f : m.files()) {
                out.print("    " + f.sha256() + "  " + f.size() + "  " + f.name().replace("\n", "\\n") + "\n");
            }
            ImageManifest.Provenance p = m.provenance();
            if (p.git() != null) {
                out.print("  git commit   " + p.git().commit() + (Boolean.TRUE.equals(p.git().dirty()) ? " (dirty)" : "") + "\n");
            }
            p.tools().forEach((tool, tv) -> out.print("  tool         " + tool + " " + tv + "\n"));
            out.flush();
            return ExitCodes.OK;
        } catch (RepositoryException e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage());
        }
    }

    static int verify(CommandSpec spec, S3Options s3, String url, String image, String version, Integer threads,
            Boolean progress, Path allowedSigners) throws Exception {
        if (image != null) {
            ImagesCommand.name(image, Names::image);
        }
        if (version != null) {
            ImagesCommand.name(version, Names::version);
        }
        VerifyReport report;
        String where;
        S3Verifier verifier;
        try (S3Store store = s3.store(url); ProgressMeter meter = ChecksumCommand.progressMeter(spec, progress, "verify")) {
            S3ImageRepository repository = open(store);
            where = repository.location().toString();
            verifier = new S3Verifier(ChecksumCommand.threads(threads), meter,
                    ImagesCommand.lines(spec.commandLine().getOut()), allowedSigners);
            report = verifier.verify(repository, image, version);
        } catch (RepositoryException e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage());
        }
        return ImagesCommand.printReport(spec, report, where, allowedSigners == null ? -1 : verifier.signed(),
                allowedSigners);
    }

    static int gc(CommandSpec spec, S3Options s3, String url, List<String> images, int keep, boolean dryRun,
            long abandonedAfter) throws Exception {
        if (abandonedAfter < 0) {
            throw CliException.usage("--abandoned-after must be 0 or more");
        }
        GarbageCollector.Result result;
        try (S3Store store = s3.store(url)) {
            result = new S3GarbageCollector(ImagesCommand.lines(spec.commandLine().getOut())).collect(open(store), images,
                    keep, dryRun, Actor.current(), Duration.ofSeconds(abandonedAfter));
        } catch (RepositoryException e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage());
        }
        return ImagesCommand.printResult(spec, result, dryRun);
    }
}
