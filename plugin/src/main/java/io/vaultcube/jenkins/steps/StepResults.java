package io.vaultcube.jenkins.steps;

import hudson.AbortException;
import io.vaultcube.jenkins.agent.StageSummary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/** The return values of the steps: plain maps (text, numbers, flags, lists) that a script can read. */
final class StepResults {
    private StepResults() {
    }

    /**
     * The map a runner step returns: {@code status}, {@code stage}, {@code evidence} (the stage
     * directory), {@code messages}, {@code metrics} (by name) and {@code durationSeconds}.
     */
    static Map<String, Object> of(String stage, StageSummary s, boolean recorded) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", recorded ? (s.succeeded() ? "RECORDED" : "RECORDED-FAULT") : s.status());
        m.put("stage", stage);
        m.put("evidence", s.stageDirectory());
        m.put("messages", new ArrayList<>(s.messages()));
        m.put("metrics", new LinkedHashMap<>(s.metrics()));
        m.put("durationSeconds", s.durationSeconds());
        return m;
    }

    /**
     * The step's outcome: its map, or the core's message as the step's error. A fault found in
     * recorded evidence is the gate's to judge (as in {@code vault pipeline run}), not an error here.
     */
    static Map<String, Object> orFail(String function, String stage, StageSummary s, boolean recorded)
            throws AbortException {
        if (StageSummary.SETUP_ERROR.equals(s.status())) {
            throw new AbortException(function + ": " + s.why());
        }
        if (!s.succeeded() && !recorded) {
            throw new AbortException(function + " (" + stage + ") " + s.status() + ": " + s.why() + " (evidence: "
                    + s.stageDirectory() + ")");
        }
        return of(stage, s, recorded);
    }
}
