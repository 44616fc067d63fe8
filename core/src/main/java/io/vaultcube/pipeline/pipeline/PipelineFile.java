package io.vaultcube.pipeline.pipeline;

import java.nio.file.Path;
import java.util.List;

/**
 * A pipeline file, read and validated ({@link PipelineParser}).
 *
 * @param file the file, as given
 * @param name the pipeline's name
 * @param description what it is for, or null
 * @param evidence the evidence directory as written, or null for a new {@code vault-runs/NAME-TIME}
 * @param debianPackages the Debian packages the stages need ({@code debian_packages}; empty when not
 *     given): {@code vault pipeline run} installs the missing ones before the preflight
 * @param stages the stages, in order
 */
public record PipelineFile(Path file, String name, String description, String evidence,
        List<String> debianPackages, List<StageSpec> stages) {
    public static final String SCHEMA = "vault-pipeline/1";

    public PipelineFile {
        debianPackages = List.copyOf(debianPackages);
        stages = List.copyOf(stages);
    }
}
