package io.vaultcube.pipeline.image;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code manifest.json} of one image version (schema {@value ManifestJson#SCHEMA}, see docs/images.md).
 *
 * @param name the image's name
 * @param version the version
 * @param created when the version was promoted
 * @param promotedBy who promoted it, from which host
 * @param files the image files of the version, in order, each with its size and SHA-256
 * @param gate the gate verdict it was promoted on and the SHA-256 of that report
 * @param provenance where the image came from (what is known)
 */
public record ImageManifest(String name, String version, Instant created, Actor promotedBy, List<FileEntry> files,
        Gate gate, Provenance provenance) {

    public ImageManifest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(promotedBy, "promotedBy");
        files = List.copyOf(files);
        Objects.requireNonNull(gate, "gate");
        provenance = provenance == null ? Provenance.NONE : provenance;
    }

    public long totalSize() {
        return files.stream().mapToLong(FileEntry::size).sum();
    }

    /** A person on a machine. */
    public record Actor(String user, String host) {
    }

    /** One image file. */
    public record FileEntry(String name, long size, String sha256) {
        public FileEntry {
            Objects.requireNonNull(name, "name");
            sha256 = Sha256.canonical(sha256);
        }
    }

    /**
     * The gate the version was promoted on.
     *
     * @param reportFile the report's path on the promoting machine, as given
     */
    public record Gate(ReportedVerdict verdict, String reportSha256, String reportFile, String policyName,
            String policySha256, String evaluated) {
        public Gate {
            Objects.requireNonNull(verdict, "verdict");
            reportSha256 = Sha256.canonical(reportSha256);
        }

        public static Gate of(PromotionGate report) {
            return new Gate(report.verdict(), report.sha256(), report.file().toString(), report.policyName(),
                    report.policySha256(), report.evaluated());
        }
    }

    /** Build provenance; each part is null when unknown. */
    public record Provenance(Packer packer, Git git, Map<String, String> tools) {
        public static final Provenance NONE = new Provenance(null, null, Map.of());

        public Provenance {
            tools = tools == null ? Map.of() : Map.copyOf(tools);
        }
    }

    /** From Packer's manifest post-processor: the builds of its last run. */
    public record Packer(String manifestFile, String manifestSha256, String lastRunUuid, List<PackerBuild> builds) {
        public Packer {
            builds = List.copyOf(builds);
        }
    }

    /** One build of a Packer run. */
    public record PackerBuild(String name, String builderType, String artifactId, Long buildTime,
            List<PackerFile> files) {
        public PackerBuild {
            files = files == null ? List.of() : List.copyOf(files);
        }
    }

    /** A file of a Packer artifact, as the manifest names it. */
    public record PackerFile(String name, Long size) {
    }

    /** The source checkout: {@code git rev-parse HEAD} and whether it had uncommitted changes. */
    public record Git(String commit, Boolean dirty) {
    }
}
