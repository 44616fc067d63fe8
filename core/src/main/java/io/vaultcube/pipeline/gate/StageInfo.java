package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.evidence.StageStatus;
import java.util.List;

/**
 * A stage of the evidence directory as reports list it: its {@code stage.json} status (null when
 * the stage has no record) and, for recorded evidence, where it was recorded.
 */
public record StageInfo(String stage, StageStatus status, String recordedFrom, boolean hasMetrics,
        List<String> messages) {
    public StageInfo {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
