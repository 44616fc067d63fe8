package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.evidence.EvidenceDigest;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.EvidenceException;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageRecord;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One evaluation of a policy over an evidence directory (and optionally a baseline): reads the
 * evidence (failing on anything unreadable), evaluates, and keeps what the reports need. The CLI
 * and the Jenkins step both go through here.
 */
public final class GateRun {
    private final Policy policy;
    private final EvidenceDir evidence;
    private final MetricSet metrics;
    private final GateReport report;
    private final List<EvidenceDigest.Entry> evidenceFiles;

    private GateRun(Policy policy, EvidenceDir evidence, MetricSet metrics, GateReport report,
            List<EvidenceDigest.Entry> evidenceFiles) {
        this.policy = policy;
        this.evidence = evidence;
        this.metrics = metrics;
        this.report = report;
        this.evidenceFiles = List.copyOf(evidenceFiles);
    }

    /**
     * Evaluates {@code policy} over the evidence directory.
     *
     * @param baselineDir the baseline run's evidence directory, or null
     * @throws EvidenceException the evidence or baseline is missing, unreadable or garbled
     */
    public static GateRun evaluate(Policy policy, Path evidenceDir, Path baselineDir, Clock clock) throws IOException {
        Objects.requireNonNull(policy, "policy");
        EvidenceDir evidence = EvidenceDir.open(evidenceDir);
        // Hashed before they are read: a file changed in between fails the promotion, never passes it.
        List<EvidenceDigest.Entry> evidenceFiles = EvidenceDigest.of(evidence.root(),
                evidence.stages().stream().map(StageEvidence::name).toList());
        MetricSet metrics = evidence.readAllMetrics();
        List<StageInfo> stages = stages(evidence);
        MetricSet base = null;
        String baseRoot = null;
        if (baselineDir != null) {
            try {
                EvidenceDir baseline = EvidenceDir.open(baselineDir);
                base = baseline.readAllMetrics();
                baseRoot = baseline.root().toString();
            } catch (EvidenceException e) {
                throw new EvidenceException("baseline: " + e.getMessage(), e);
            }
        }
        List<GateResult> rows;
        try {
            rows = new GateEvaluator(metrics, base, baseRoot, stages).evaluate(policy);
        } catch (GateEvaluator.Interrupted e) {
            // The flag stays set: the caller (a pipeline, the CLI) sees an aborted run, not a failed read.
            throw new InterruptedIOException("interrupted while evaluating the gates of " + policy.file()
                    + "; no verdict");
        }
        GateReport report = new GateReport(Verdict.of(rows), policy.file(), policy.name(), policy.sha256(),
                evidence.root().toString(), baseRoot, clock.instant().truncatedTo(ChronoUnit.SECONDS), rows, stages);
        return new GateRun(policy, evidence, metrics, report, evidenceFiles);
    }

    /** The stages with their {@code stage.json}; a garbled one is unreadable evidence. */
    static List<StageInfo> stages(EvidenceDir evidence) throws IOException {
        List<StageInfo> out = new ArrayList<>();
        for (StageEvidence stage : evidence.stages()) {
            if (stage.hasRecord()) {
                StageRecord record = stage.readRecord();
                out.add(new StageInfo(stage.name(), record.status(), record.recordedFrom(), stage.hasMetrics(),
                        record.messages()));
            } else {
                out.add(new StageInfo(stage.name(), null, null, stage.hasMetrics(), List.of()));
            }
        }
        return out;
    }

    public Policy policy() {
        return policy;
    }

    public EvidenceDir evidence() {
        return evidence;
    }

    public MetricSet metrics() {
        return metrics;
    }

    public GateReport report() {
        return report;
    }

    /** The stage.json and metrics.json files the gate read, with their SHA-256 (the report's binding). */
    public List<EvidenceDigest.Entry> evidenceFiles() {
        return evidenceFiles;
    }

    public Verdict verdict() {
        return report.verdict();
    }
}
