package io.vaultcube.pipeline.image.repo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one promotion needs, as one immutable value.
 *
 * @param repository the repository directory (created when missing or empty)
 * @param name the image name
 * @param version the version to create (or, with no files, that must exist)
 * @param files the image files; empty to only move channels to an existing version
 * @param channels channels to point at the version
 * @param gateReport the gate report (vault-gate-report/1, docs/policy.md)
 * @param allowUnstable accept an UNSTABLE verdict
 * @param packerManifest Packer's manifest.json for provenance, or null
 * @param tools tool versions for provenance (name to version)
 * @param checkout the source checkout whose git commit is recorded, or null for none
 * @param actor who promotes
 * @param lockTimeout how long to wait for another writer of the image, or null to wait
 * @param checkFreeSpace refuse before copying when the filesystem has too little space
 * @param attestation the SBOM, provenance statement and signature to write beside the manifest, or null
 * @param evidence the evidence directory the gate judged, to check the report's binding against; null
 *     for the directory the report names
 * @param policy the policy the gate applied, to check against the report's policy SHA-256; or null
 */
public record PromotionRequest(Path repository, String name, String version, List<Path> files, List<String> channels,
        Path gateReport, boolean allowUnstable, Path packerManifest, Map<String, String> tools, Path checkout,
        Actor actor, Duration lockTimeout, boolean checkFreeSpace,
        io.vaultcube.pipeline.image.attest.AttestationRequest attestation, Path evidence, Path policy) {

    public PromotionRequest {
        Objects.requireNonNull(repository, "repository");
        Names.image(name);
        Names.version(version);
        files = List.copyOf(files);
        channels = List.copyOf(channels);
        channels.forEach(Names::channel);
        if (channels.stream().distinct().count() != channels.size()) {
            throw new IllegalArgumentException("a channel is named twice: " + channels);
        }
        Objects.requireNonNull(gateReport, "gateReport");
        tools = Map.copyOf(tools);
        actor = actor == null ? Actor.current() : actor;
    }

    public static Builder builder(Path repository, String name, String version, Path gateReport) {
        return new Builder(repository, name, version, gateReport);
    }

    /** Builds a request; defaults: no files, no channels, no provenance, current user, wait for the lock. */
    public static final class Builder {
        private final Path repository;
        private final String name;
        private final String version;
        private final Path gateReport;
        private final List<Path> files = new ArrayList<>();
        private final List<String> channels = new ArrayList<>();
        private boolean allowUnstable;
        private Path packerManifest;
        private final Map<String, String> tools = new LinkedHashMap<>();
        private Path checkout;
        private Actor actor;
        private Duration lockTimeout;
        private boolean checkFreeSpace = true;
        private io.vaultcube.pipeline.image.attest.AttestationRequest attestation;
        private Path evidence;
        private Path policy;

        private Builder(Path repository, String name, String version, Path gateReport) {
            this.repository = repository;
            this.name = name;
            this.version = version;
            this.gateReport = gateReport;
        }

        public Builder files(List<Path> paths) {
            files.addAll(paths);
            return this;
        }

        public Builder file(Path path) {
            files.add(path);
            return this;
        }

        public Builder channel(String channel) {
            channels.add(channel);
            return this;
        }

        public Builder channels(List<String> names) {
            channels.addAll(names);
            return this;
        }

        public Builder allowUnstable(boolean allow) {
            this.allowUnstable = allow;
            return this;
        }

        public Builder packerManifest(Path manifest) {
            this.packerManifest = manifest;
            return this;
        }

        public Builder tool(String tool, String toolVersion) {
            if (tool == null || tool.isBlank() || toolVersion == null || toolVersion.isBlank()) {
                throw new IllegalArgumentException("a tool version needs a name and a version: " + tool + "=" + toolVersion);
            }
            tools.put(tool, toolVersion);
            return this;
        }

        public Builder checkout(Path dir) {
            this.checkout = dir;
            return this;
        }

        public Builder actor(Actor who) {
            this.actor = who;
            return this;
        }

        public Builder lockTimeout(Duration timeout) {
            this.lockTimeout = timeout;
            return this;
        }

        public Builder checkFreeSpace(boolean check) {
            this.checkFreeSpace = check;
            return this;
        }

        /** Adds an SBOM, a provenance statement and its signature to the version. */
        public Builder attestation(io.vaultcube.pipeline.image.attest.AttestationRequest request) {
            this.attestation = request;
            return this;
        }

        /** The evidence directory the gate judged (default: the one the report names). */
        public Builder evidence(Path dir) {
            this.evidence = dir;
            return this;
        }

        /** The policy the gate applied: its SHA-256 must be the report's. */
        public Builder policy(Path file) {
            this.policy = file;
            return this;
        }

        public PromotionRequest build() {
            return new PromotionRequest(repository, name, version, files, channels, gateReport, allowUnstable,
                    packerManifest, tools, checkout, actor, lockTimeout, checkFreeSpace, attestation, evidence,
                    policy);
        }
    }
}
