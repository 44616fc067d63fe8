package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.image.ByteSizes;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.repo.Actor;
import io.vaultcube.pipeline.image.repo.ChannelMove;
import io.vaultcube.pipeline.image.repo.ImageRepository;
import io.vaultcube.pipeline.image.repo.Names;
import io.vaultcube.pipeline.image.repo.PromotionRefusedException;
import io.vaultcube.pipeline.image.repo.PromotionResult;
import io.vaultcube.pipeline.image.repo.RepositoryException;
import io.vaultcube.pipeline.image.repo.s3.S3Promoter;
import io.vaultcube.pipeline.image.repo.s3.S3Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vault images push --from DIR --repo s3://... NAME VERSION}: publishes a local version in S3. */
@Command(name = "push", mixinStandardHelpOptions = true,
        header = "Publish a version of a local repository in an S3 repository.",
        description = {"Publishes a version of a filesystem repository (promoted on a build agent) in an s3://"
                + " repository as it is: the same manifest (creation time, gate, provenance), every file uploaded"
                + " and checked against the manifest's SHA-256 while it is read. Then --channel records point"
                + " channels at it. Exit: 0 pushed (or already there with the same files); 1 refused or failed;"
                + " 2 bad usage."})
final class ImagesPushCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "The filesystem repository.")
    Path from;

    @Option(names = "--repo", required = true, paramLabel = "s3://BUCKET/PREFIX", description = "The S3 repository.")
    String repo;

    @Mixin
    S3Options s3;

    @Parameters(index = "0", paramLabel = "NAME", description = "The image.")
    String image;

    @Parameters(index = "1", paramLabel = "VERSION", description = "The version.")
    String version;

    @Option(names = "--channel", paramLabel = "CHANNEL", description = "Point this channel at the version (repeatable).")
    List<String> channels = new ArrayList<>();

    @Option(names = "--progress", negatable = true,
            description = "Draw a progress line on stderr (default: when stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws Exception {
        if (!S3Options.isS3(repo)) {
            throw CliException.usage("--repo must be an s3:// repository: " + repo);
        }
        ImagesCommand.name(image, Names::image);
        ImagesCommand.name(version, Names::version);
        channels.forEach(c -> ImagesCommand.name(c, Names::channel));
        PrintWriter out = spec.commandLine().getOut();
        ImageRepository local = ImageRepository.open(from);
        PromotionResult result;
        try (S3Store store = s3.store(repo); ProgressMeter meter = ChecksumCommand.progressMeter(spec, progress, "push")) {
            result = new S3Promoter(1, meter, line -> {
                out.print(line + "\n");
                out.flush();
            }, new ProcessRunner()).push(local, store, image, version, channels, Actor.current());
        } catch (PromotionRefusedException | RepositoryException e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage());
        }
        out.print(image + " " + version + ": " + (result.outcome() == PromotionResult.Outcome.CREATED ? "pushed"
                : "unchanged (already there with the same files)") + "; " + result.manifest().files().size()
                + " file(s), " + ByteSizes.human(result.manifest().totalSize()) + "\n");
        for (ChannelMove move : result.channels()) {
            out.print("  channel " + move.channel() + " -> " + move.to() + (move.changed() ? "" : " (unchanged)") + "\n");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
