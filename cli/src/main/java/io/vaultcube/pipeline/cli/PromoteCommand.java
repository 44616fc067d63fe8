package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.image.ByteSizes;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.GateReportException;
import io.vaultcube.pipeline.image.ReportedVerdict;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.repo.ChannelMove;
import io.vaultcube.pipeline.image.repo.Promoter;
import io.vaultcube.pipeline.image.repo.PromotionRefusedException;
import io.vaultcube.pipeline.image.repo.PromotionRequest;
import io.vaultcube.pipeline.image.repo.PromotionResult;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import io.vaultcube.pipeline.image.repo.s3.S3Promoter;
import io.vaultcube.pipeline.image.repo.s3.S3Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault promote}: copies image files into the repository as an immutable, verified version. */
@Command(
        header = "Promote image files into a repository when the gate allows it.",
        name = "promote",
        description = {
            "Promotes image files into a repository as an immutable, verified version: creates REPO/NAME/VERSION"
                    + " (the files, manifest.json, SHA256SUMS) if the gate report allows it: SUCCESS, or UNSTABLE"
                    + " with --allow-unstable.",
            "Each file is copied into hidden staging while it is hashed, forced to disk, re-read and verified,"
                    + " and the version appears by one atomic rename. Versions are immutable: the same files again"
                    + " change nothing, other files are refused. --channel points channels at the version (atomic"
                    + " symlink swap); with no IMAGE_FILE only the channels of an existing version are set. Every"
                    + " promotion is appended to REPO/audit.jsonl.",
            "With --repo s3://BUCKET/PREFIX the version goes into an S3-compatible object store (docs/images.md):"
                    + " each file is read once, hashed and uploaded (multipart, SHA-256 part checksums) under a fresh"
                    + " key, and the version appears when its manifest is written last; nothing is ever overwritten."
                    + " Endpoint and region are --s3-* options or VAULT_S3_* variables; credentials come from the AWS"
                    + " SDK's default chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, roles), never from arguments.",
            "Exit: 0 promoted (or already there); 1 refused by the gate or immutability, or the repository could"
                    + " not be written (full disk); 2 bad usage, unreadable gate report or image.",
        })
final class PromoteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "IMAGE_FILE", arity = "0..*", description = "The image files of the version.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--repo", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX",
            description = "The repository: a directory, or s3://BUCKET/PREFIX in an S3-compatible store (created when"
                    + " missing or empty).")
    String repo;

    @Mixin
    S3Options s3;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The image's name.")
    String name;

    @Option(names = "--version", required = true, paramLabel = "VERSION", description = "The version to promote.")
    String version;

    @Option(names = "--channel", paramLabel = "CHANNEL", description = "Point this channel at the version (repeatable).")
    List<String> channels = new ArrayList<>();

    @Option(names = "--gate-report", required = true, paramLabel = "FILE",
            description = "The gate's JSON report (vault gate --json): must say SUCCESS.")
    Path gateReport;

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "The evidence directory the gate judged (default: the one the report names); every"
                    + " stage.json and metrics.json the report binds must be unchanged there.")
    Path evidence;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "The policy the gate applied: its SHA-256 must be the report's (default: the report's"
                    + " policy file, when it names one by absolute path that exists).")
    Path policy;

    @Option(names = "--allow-unstable", description = "Also promote on an UNSTABLE verdict.")
    boolean allowUnstable;

    @Option(names = "--packer-manifest", paramLabel = "FILE",
            description = "Packer's manifest.json: its last run's builds and artifact ids go into the manifest.")
    Path packerManifest;

    @Option(names = "--tool-version", paramLabel = "TOOL=VERSION", description = "A tool version to record (repeatable).")
    Map<String, String> tools = new LinkedHashMap<>();

    @Option(names = "--checkout", paramLabel = "DIR", defaultValue = ".",
            description = "Record the git commit of this checkout (default: the current directory, when it is one).")
    Path checkout;

    @Option(names = "--no-git", description = "Record no git commit.")
    boolean noGit;

    @Option(names = "--lock-timeout", paramLabel = "SECONDS",
            description = "Give up after waiting this long for another promotion of the image (default: wait).")
    Long lockTimeout;

    @Option(names = "--threads", paramLabel = "N", description = "Files copied at once (default: the number of cores).")
    Integer threads;

    @Option(names = "--progress", negatable = true,
            description = "Draw a progress line on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PromotionRequest request;
        try {
            PromotionRequest.Builder b = PromotionRequest.builder(Path.of(repo), name, version, gateReport)
                    .files(files)
                    .channels(channels)
                    .allowUnstable(allowUnstable)
                    .packerManifest(packerManifest)
                    .evidence(evidence)
                    .policy(policy)
                    .checkout(noGit ? null : checkout)
                    .lockTimeout(lockTimeout == null ? null : Duration.ofSeconds(lockTimeout));
            tools.forEach(b::tool);
            if (lockTimeout != null && lockTimeout < 0) {
                throw new IllegalArgumentException("--lock-timeout must not be negative");
            }
            request = b.build();
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        PromotionResult result;
        try (ProgressMeter meter = ChecksumCommand.progressMeter(spec, progress, "promote")) {
            Promoter promoter = new Promoter(new FileHasher(), ChecksumCommand.threads(threads), meter, line -> {
                out.print(line + "\n");
                out.flush();
            }, new ProcessRunner());
            if (S3Options.isS3(repo)) {
                try (S3Store store = s3.store(repo)) {
                    result = new S3Promoter(ChecksumCommand.threads(threads), meter, line -> {
                        out.print(line + "\n");
                        out.flush();
                    }, new ProcessRunner()).promote(store, request);
                }
            } else {
                result = promoter.promote(request);
            }
        } catch (PromotionRefusedException e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage());
        } catch (GateReportException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        } catch (RepositoryException e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        String what = switch (result.outcome()) {
            case CREATED -> "promoted";
            case UNCHANGED -> "unchanged (already promoted with the same files)";
            case CHANNELS_ONLY -> "channels set";
        };
        out.print(name + " " + version + ": " + what + "; " + result.manifest().files().size() + " file(s), "
                + ByteSizes.human(result.manifest().totalSize()) + ", gate " + result.gate().verdict() + "\n");
        for (ChannelMove move : result.channels()) {
            out.print("  channel " + move.channel() + " -> " + move.to() + (move.changed() ? "" : " (unchanged)") + "\n");
        }
        if (result.gate().verdict() == ReportedVerdict.UNSTABLE) {
            out.print("warning: promoted on an UNSTABLE gate verdict (--allow-unstable)\n");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
