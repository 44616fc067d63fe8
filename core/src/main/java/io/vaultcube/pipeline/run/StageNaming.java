package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.MetricSet;

/**
 * Stages of one kind run more than once in an evidence directory: the progressive stress stages
 * ({@code stress-1h}, {@code stress-6h}, then the 24-hour {@code stress}), or a second benchmark
 * ({@code bench-ddp-amp}). A metric name is reported by one stage only, so a stage under any name
 * but its kind's default reports its metrics with the stage name in front: stage {@code stress-1h}
 * writes {@code stress_1h.telemetry.coverage}, {@code stress_1h.stress.complete}; the default stage
 * {@code stress} writes the documented names ({@code telemetry.coverage}, {@code stress.complete}).
 */
public final class StageNaming {
    private StageNaming() {
    }

    /** The metric prefix of a stage name: dashes become underscores ({@code stress-1h} → {@code stress_1h}). */
    public static String metricPrefix(String stage) {
        requireStageName(stage);
        return stage.replace('-', '_');
    }

    /** The metrics as the stage reports them: as they are under the default name, else prefixed. */
    public static MetricSet forStage(MetricSet metrics, String stage, String defaultStage) {
        return stage.equals(defaultStage) ? metrics : metrics.withPrefix(metricPrefix(stage));
    }

    /** Refuses a name that is not a stage name (a-z, then a-z, 0-9, -; at most 64). */
    public static String requireStageName(String stage) {
        if (stage == null || !EvidenceDir.STAGE_NAME.matcher(stage).matches() || stage.endsWith("-")
                || stage.contains("--")) {
            throw new IllegalArgumentException("not a stage name: '" + stage
                    + "' (lower case letters, digits and single dashes, starting with a letter, e.g. stress-1h)");
        }
        return stage;
    }
}
