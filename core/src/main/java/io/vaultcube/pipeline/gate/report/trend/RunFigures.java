package io.vaultcube.pipeline.gate.report.trend;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The small figures of one run that its trend needs: verdict, gate counts, the {@link KeyFigure}s and
 * how long it took. A few hundred bytes, so a job keeps one per build (Jenkins: in the build's
 * action, in {@code build.xml}) and a chart over 1,000 runs reads 1,000 of these, never their reports.
 *
 * <p>A figure the run does not have is absent (null), never zero: the chart shows a gap there.
 * Plain fields of mutable JDK types (ArrayList, TreeMap), no record, so Jenkins' XStream can store it.
 */
public final class RunFigures implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final String label;
    private final Long timeMillis;
    private final String verdict;
    private final String policy;
    private final Integer passed;
    private final Integer unstable;
    private final Integer failed;
    private final Integer skipped;
    private final Double durationSeconds;
    private final TreeMap<String, Double> figures;
    private final ArrayList<String> recordedStages;

    private RunFigures(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.label = b.label == null ? b.id : b.label;
        this.timeMillis = b.time == null ? null : b.time.toEpochMilli();
        this.verdict = b.verdict;
        this.policy = b.policy;
        this.passed = b.passed;
        this.unstable = b.unstable;
        this.failed = b.failed;
        this.skipped = b.skipped;
        this.durationSeconds = b.durationSeconds;
        this.figures = new TreeMap<>(b.figures);
        this.recordedStages = new ArrayList<>(b.recordedStages);
    }

    /** A builder for the run with this id (a build number, an evidence directory). */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder holding this run's figures, to change one of them. */
    public Builder toBuilder() {
        Builder b = new Builder(id).label(label).verdict(verdict).policy(policy)
                .gateCounts(passed, unstable, failed, skipped).durationSeconds(durationSeconds)
                .recordedStages(recordedStages);
        b.time = getTime();
        b.figures.putAll(figures);
        return b;
    }

    /** What identifies the run: a build number, an evidence directory. */
    public String getId() {
        return id;
    }

    /** What a chart's axis shows for the run (the id unless set). */
    public String getLabel() {
        return label;
    }

    /** When the run was judged (or started), or null when unknown. */
    public Instant getTime() {
        return timeMillis == null ? null : Instant.ofEpochMilli(timeMillis);
    }

    /** SUCCESS, UNSTABLE or FAILURE; null when the run has no gate report. */
    public String getVerdict() {
        return verdict;
    }

    /** The policy's name, or null. */
    public String getPolicy() {
        return policy;
    }

    public Integer getPassed() {
        return passed;
    }

    public Integer getUnstable() {
        return unstable;
    }

    public Integer getFailed() {
        return failed;
    }

    public Integer getSkipped() {
        return skipped;
    }

    /** How long the run (or build) took, in seconds, or null. */
    public Double getDurationSeconds() {
        return durationSeconds;
    }

    /** The key figures the run has, by metric name. */
    public Map<String, Double> getFigures() {
        return Collections.unmodifiableMap(figures);
    }

    /** One key figure, or null when the run does not have it. */
    public Double figure(KeyFigure figure) {
        return figures.get(figure.metric());
    }

    /** The stages that read recorded evidence instead of measuring now (reports must say so). */
    public List<String> getRecordedStages() {
        return Collections.unmodifiableList(recordedStages);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunFigures r && id.equals(r.id) && label.equals(r.label)
                && Objects.equals(timeMillis, r.timeMillis) && Objects.equals(verdict, r.verdict)
                && Objects.equals(policy, r.policy) && Objects.equals(passed, r.passed)
                && Objects.equals(unstable, r.unstable) && Objects.equals(failed, r.failed)
                && Objects.equals(skipped, r.skipped) && Objects.equals(durationSeconds, r.durationSeconds)
                && figures.equals(r.figures) && recordedStages.equals(r.recordedStages);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, label, timeMillis, verdict, figures);
    }

    @Override
    public String toString() {
        return "RunFigures[" + id + " " + verdict + " " + figures + "]";
    }

    /** Builds a {@link RunFigures}; every value but the id may be left unset (a gap). */
    public static final class Builder {
        private final String id;
        private String label;
        private Instant time;
        private String verdict;
        private String policy;
        private Integer passed;
        private Integer unstable;
        private Integer failed;
        private Integer skipped;
        private Double durationSeconds;
        private final TreeMap<String, Double> figures = new TreeMap<>();
        private final List<String> recordedStages = new ArrayList<>();

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        public Builder label(String label) {
            this.label = label;
            return this;
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder verdict(String verdict) {
            this.verdict = verdict;
            return this;
        }

        public Builder policy(String policy) {
            this.policy = policy;
            return this;
        }

        /** The gates passed, unstable, failed and skipped (any may be null). */
        public Builder gateCounts(Integer passed, Integer unstable, Integer failed, Integer skipped) {
            this.passed = passed;
            this.unstable = unstable;
            this.failed = failed;
            this.skipped = skipped;
            return this;
        }

        public Builder durationSeconds(Double seconds) {
            this.durationSeconds = seconds == null || !Double.isFinite(seconds) ? null : seconds;
            return this;
        }

        /** Sets a key figure; null or a value that is not finite leaves it a gap. */
        public Builder figure(KeyFigure figure, Double value) {
            if (value == null || !Double.isFinite(value)) {
                figures.remove(figure.metric());
            } else {
                figures.put(figure.metric(), value);
            }
            return this;
        }

        public Builder recordedStages(List<String> stages) {
            recordedStages.clear();
            recordedStages.addAll(stages);
            return this;
        }

        public RunFigures build() {
            return new RunFigures(this);
        }
    }
}
