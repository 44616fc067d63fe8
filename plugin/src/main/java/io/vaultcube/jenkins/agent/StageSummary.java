package io.vaultcube.jenkins.agent;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.run.RunResult;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a stage run on the agent sends back to the controller: small, never the metric tree of a
 * 24 h soak nor a secret (the core masks its messages).
 *
 * @param status SUCCEEDED, FAILED or ABORTED as the core says, or SETUP_ERROR when the settings
 *     could not work and nothing ran (the CLI's exit 2)
 * @param messages the core's messages for the person
 * @param stageDirectory the stage's evidence directory, relative to the workspace where it is inside it
 * @param metrics the stage's metrics by name (numbers, flags, text), at most {@link #MAX_METRICS}
 * @param durationSeconds how long the stage ran
 */
public record StageSummary(String status, List<String> messages, String stageDirectory, Map<String, Object> metrics,
        double durationSeconds) implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String SETUP_ERROR = "SETUP_ERROR";
    /** A return value, not a store: a stage with more metrics than this names its metrics.json instead. */
    public static final int MAX_METRICS = 200;

    public StageSummary {
        messages = Collections.unmodifiableList(new ArrayList<>(messages));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    static StageSummary of(RunResult r, Path workspace) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        for (Metric m : r.metrics()) {
            if (metrics.size() == MAX_METRICS) {
                break;
            }
            Object raw = m.value().raw();
            metrics.put(m.name().toString(), raw instanceof Serializable ? raw : String.valueOf(raw));
        }
        return new StageSummary(r.status().name(), r.messages(), relative(workspace, r.stageDirectory()), metrics,
                r.duration().toMillis() / 1000.0);
    }

    static StageSummary setupError(String message, String stageDirectory) {
        return new StageSummary(SETUP_ERROR, List.of(message), stageDirectory, Map.of(), 0);
    }

    static String relative(Path workspace, Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path ws = workspace.toAbsolutePath().normalize();
        return abs.startsWith(ws) ? ws.relativize(abs).toString() : abs.toString();
    }

    public boolean succeeded() {
        return "SUCCEEDED".equals(status);
    }

    /** The first message, which says why a stage failed. */
    public String why() {
        return messages.isEmpty() ? status : messages.get(0);
    }
}
