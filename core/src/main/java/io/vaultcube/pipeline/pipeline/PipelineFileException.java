package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.yaml.YamlException;
import java.util.List;

/** A pipeline file that cannot be run; every problem with its file and line. */
public final class PipelineFileException extends YamlException {
    private static final long serialVersionUID = 1L;

    public PipelineFileException(String file, List<Problem> problems) {
        super("pipeline file", file, problems);
    }

    static PipelineFileException of(YamlException e) {
        return new PipelineFileException(e.file(), e.problems());
    }
}
