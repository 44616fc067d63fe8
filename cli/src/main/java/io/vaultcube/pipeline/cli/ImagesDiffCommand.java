package io.vaultcube.pipeline.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.image.ImageJson;
import io.vaultcube.pipeline.image.attest.Attestation;
import io.vaultcube.pipeline.image.attest.PackageDiff;
import io.vaultcube.pipeline.image.repo.ImageRepository;
import io.vaultcube.pipeline.image.repo.Names;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vault images diff --repo DIR NAME A B}: the packages that changed between two versions. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        header = "Show the packages added, removed, upgraded and downgraded between two versions.",
        description = {"Compares the SBOMs (sbom.cdx.json, made from the inventory at promotion) of two versions"
                + " of an image: Debian packages ordered by dpkg's rules (epochs, tildes), Python distributions"
                + " per environment by PEP 440, and the kernel, NVIDIA driver and VBIOS. A version a scheme"
                + " cannot read is shown as changed, never guessed. Exit: 0 compared (whether or not anything"
                + " changed); 1 a version has no SBOM or an unreadable one; 2 bad usage."})
final class ImagesDiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--repo", required = true, paramLabel = "DIR", description = "The repository (a directory).")
    String repo;

    @Parameters(index = "0", paramLabel = "NAME", description = "The image.")
    String image;

    @Parameters(index = "1", paramLabel = "A", description = "The version before.")
    String from;

    @Parameters(index = "2", paramLabel = "B", description = "The version after.")
    String to;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (S3Options.isS3(repo)) {
            // Not built yet for S3: only the filesystem layout is read here.
            throw CliException.usage("images diff reads filesystem repositories only (not yet s3://); download"
                    + " the two versions' sbom.cdx.json or use a local repository");
        }
        ImageRepository repository = ImageRepository.open(Path.of(repo));
        ImagesCommand.name(image, Names::image);
        ImagesCommand.name(from, Names::version);
        ImagesCommand.name(to, Names::version);
        if (!repository.images().contains(image)) {
            throw CliException.usage("no image '" + image + "' in " + repository.root());
        }
        byte[] a = sbom(repository, from);
        byte[] b = sbom(repository, to);
        List<PackageDiff.Change> changes;
        try {
            changes = PackageDiff.between(a, image + "/" + from + "/" + Attestation.SBOM, b,
                    image + "/" + to + "/" + Attestation.SBOM);
        } catch (IOException e) {
            throw new CliException(ExitCodes.FAILURE, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        Map<PackageDiff.Kind, Integer> counts = new EnumMap<>(PackageDiff.Kind.class);
        for (PackageDiff.Kind k : PackageDiff.Kind.values()) {
            counts.put(k, 0);
        }
        changes.forEach(c -> counts.merge(c.kind(), 1, Integer::sum));
        if (json) {
            ObjectNode root = ImageJson.mapper().createObjectNode();
            root.put("image", image);
            root.put("from", from);
            root.put("to", to);
            ObjectNode summary = root.putObject("summary");
            counts.forEach((k, n) -> summary.put(k.name().toLowerCase(Locale.ROOT), n));
            ArrayNode list = root.putArray("changes");
            for (PackageDiff.Change c : changes) {
                ObjectNode n = list.addObject();
                n.put("change", c.kind().name().toLowerCase(Locale.ROOT));
                n.put("ecosystem", c.ecosystem().id());
                n.put("name", c.name());
                if (c.environment() != null) {
                    n.put("environment", c.environment());
                }
                if (c.architecture() != null) {
                    n.put("architecture", c.architecture());
                }
                n.put("from", c.from());
                n.put("to", c.to());
                // The order that decided it: only an upgrade or downgrade has one.
                if (c.kind() == PackageDiff.Kind.UPGRADED || c.kind() == PackageDiff.Kind.DOWNGRADED) {
                    n.put("order", c.ecosystem().scheme().id());
                } else if (c.kind() == PackageDiff.Kind.CHANGED) {
                    n.put("order", "none");
                }
            }
            out.print(new String(ImageJson.write(root), StandardCharsets.UTF_8));
            out.flush();
            return ExitCodes.OK;
        }
        out.print(image + " " + from + " -> " + to + ": " + counts.get(PackageDiff.Kind.ADDED) + " added, "
                + counts.get(PackageDiff.Kind.REMOVED) + " removed, " + counts.get(PackageDiff.Kind.UPGRADED)
                + " upgraded, " + counts.get(PackageDiff.Kind.DOWNGRADED) + " downgraded, "
                + counts.get(PackageDiff.Kind.CHANGED) + " changed (no order)\n");
        for (PackageDiff.Change c : changes) {
            String what = c.ecosystem().id() + "  " + (c.environment() == null ? "" : c.environment() + ": ") + c.name()
                    + (c.architecture() == null ? "" : ":" + c.architecture());
            String line = switch (c.kind()) {
                case ADDED -> "added       " + what + " " + c.to();
                case REMOVED -> "removed     " + what + " " + c.from();
                case UPGRADED -> "upgraded    " + what + " " + c.from() + " -> " + c.to();
                case DOWNGRADED -> "downgraded  " + what + " " + c.from() + " -> " + c.to();
                case CHANGED -> "changed     " + what + " " + c.from() + " -> " + c.to();
            };
            out.print(line + "\n");
        }
        out.flush();
        return ExitCodes.OK;
    }

    private byte[] sbom(ImageRepository repository, String version) throws IOException {
        Path dir = repository.layout().version(image, version);
        if (!Files.isDirectory(dir)) {
            throw CliException.usage("no version " + image + "/" + version + " in " + repository.root());
        }
        Path file = dir.resolve(Attestation.SBOM);
        if (!Files.isRegularFile(file)) {
            throw new CliException(ExitCodes.FAILURE, file + " is missing: this version was promoted without an"
                    + " inventory, so there is no package list to compare");
        }
        return Files.readAllBytes(file);
    }
}
