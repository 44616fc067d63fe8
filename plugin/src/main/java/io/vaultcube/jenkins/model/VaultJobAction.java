package io.vaultcube.jenkins.model;

import hudson.model.Action;
import hudson.model.Job;
import hudson.model.Run;
import io.vaultcube.pipeline.gate.report.trend.RunFigures;
import io.vaultcube.pipeline.gate.report.trend.TrendModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The job's trend of its gates (issue 14), as the junit and warnings-ng plugins draw theirs: the
 * chart model is computed here from each build's {@link RunFigures} (the small fields of its
 * {@link VaultRunAction} in {@code build.xml}), serialised as JSON by the core's {@link TrendModel}, and
 * drawn by ECharts in the browser. No build's stored report or evidence file is read.
 */
public class VaultJobAction implements Action {
    public static final String URL_NAME = "vault-trend";
    /** The newest builds a chart shows, as warnings-ng's default. */
    public static final int MAX_BUILDS = 50;

    private final Job<?, ?> job;

    public VaultJobAction(Job<?, ?> job) {
        this.job = job;
    }

    public Job<?, ?> getJob() {
        return job;
    }

    @Override
    public String getIconFileName() {
        return "graph.png";
    }

    @Override
    public String getDisplayName() {
        return "Vault gate trend";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    /** A build's gate figures and how long it took (ms; null while it runs). */
    public record Build(VaultRunAction action, Long durationMillis) {
    }

    /**
     * The figures of the newest {@code max} builds with a gate, oldest first: each build's first gate,
     * with the build's duration. Reads the actions' fields only.
     */
    public static List<RunFigures> figures(Iterable<Build> newestFirst, int max) {
        List<RunFigures> out = new ArrayList<>();
        for (Build b : newestFirst) {
            if (out.size() == max) {
                break;
            }
            RunFigures f = b.action().getFigures();
            out.add(b.durationMillis() == null || b.durationMillis() <= 0 ? f
                    : f.toBuilder().durationSeconds(b.durationMillis() / 1000.0).build());
        }
        Collections.reverse(out);
        return out;
    }

    /** The builds of the job, newest first, that have a gate. */
    List<Build> builds() {
        List<Build> out = new ArrayList<>();
        for (Run<?, ?> r = job.getLastBuild(); r != null && out.size() < MAX_BUILDS; r = r.getPreviousBuild()) {
            VaultRunAction a = r.getAction(VaultRunAction.class);
            if (a != null) {
                out.add(new Build(a, r.getDuration()));
            }
        }
        return out;
    }

    public TrendModel getTrendModel() {
        return TrendModel.of(figures(builds(), MAX_BUILDS));
    }

    /** Whether any build has a gate (the box is shown only then). */
    public boolean isTrendAvailable() {
        return !builds().isEmpty();
    }

    /** The charts for the job's main page: the gates and the DDP scaling efficiency. */
    public String getFloatingBoxHtml() {
        return TrendPageHtml.charts(getTrendModel(), List.of("gates", "ddp"), URL_NAME + "/");
    }

    /** Every chart, for the trend's own page. */
    public String getPageHtml() {
        return TrendPageHtml.charts(getTrendModel(), null, null);
    }
}
