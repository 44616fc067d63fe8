package io.vaultcube.jenkins.model;

import hudson.model.DirectoryBrowserSupport;
import hudson.model.Run;
import io.vaultcube.pipeline.gate.report.BuildSummary;
import io.vaultcube.pipeline.gate.report.trend.RunFigures;
import java.io.File;
import java.io.IOException;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import jenkins.model.RunAction2;
import jenkins.util.VirtualFile;

/**
 * One gate of a build on its build page: a summary box on the build's main page
 * ({@code summary.jelly}) and a page of its own at {@code /job/J/N/vault/} ({@code index.jelly}) with the
 * full report, the stages and the evidence files, which Jenkins serves from the build's directory
 * ({@code /vault/files/...}) after the agent is gone.
 *
 * <p>{@code build.xml} keeps only the small fields below (verdict, counts, key figures, recorded
 * stages, the promoted image): what the job's trend reads for every build. Everything the pages show
 * beyond them is read from the files beside {@code build.xml}, on demand, and held softly.
 */
public class VaultRunAction implements RunAction2 {
    /** The URL of a build's first gate; a build's further gates (several boxes) get {@code vault-2}, ... */
    public static final String URL_NAME = "vault";
    /** Evidence files not copied that the page names, at most. */
    static final int MAX_LEFT_ON_AGENT = 50;

    private final String id;
    private final String node;
    private final String evidence;
    private final String stage;
    private final String summary;
    private final RunFigures figures;
    private final ArrayList<String> leftOnAgent;
    private PromotedImage promoted;

    private transient Run<?, ?> run;
    private transient BuildStore store;
    private transient SoftReference<BuildSummary> cached;

    /**
     * @param id the URL name and the directory of its files in the build ({@code vault}, {@code vault-2}, ...)
     * @param node the agent the gate ran on ({@code NODE_NAME}), or null
     * @param evidence the evidence directory, relative to the agent's workspace
     * @param stage the gate's stage
     * @param summary the gate's summary, as the copied {@code build-summary.json} holds it
     * @param figures what the trend reads: {@code summary}'s verdict, counts and key figures
     * @param leftOnAgent evidence files not copied, each with why
     */
    public VaultRunAction(String id, String node, String evidence, String stage, BuildSummary summary,
            RunFigures figures, List<String> leftOnAgent) {
        this.id = id;
        this.node = node;
        this.evidence = evidence;
        this.stage = stage;
        this.summary = summary.summary();
        this.figures = figures;
        this.leftOnAgent = new ArrayList<>(leftOnAgent.subList(0, Math.min(leftOnAgent.size(), MAX_LEFT_ON_AGENT)));
    }

    /** For a build that does not run in Jenkins (the unit tests): its files are in {@code store}. */
    void attachStore(BuildStore store) {
        this.store = store;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
        this.store = new BuildStore(new File(r.getRootDir(), id));
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        onAttached(r);
    }

    public Run<?, ?> getRun() {
        return run;
    }

    @Override
    public String getIconFileName() {
        return "clipboard.png";
    }

    @Override
    public String getDisplayName() {
        return "Vault gate " + getVerdict() + (id.equals(URL_NAME) ? "" : " (" + (node == null ? id : node) + ")");
    }

    @Override
    public String getUrlName() {
        return id;
    }

    public String getId() {
        return id;
    }

    public String getNode() {
        return node;
    }

    public String getEvidence() {
        return evidence;
    }

    public String getStage() {
        return stage;
    }

    /** SUCCESS, UNSTABLE or FAILURE. */
    public String getVerdict() {
        return figures.getVerdict();
    }

    public String getPolicyName() {
        return figures.getPolicy();
    }

    public String getSummary() {
        return summary;
    }

    /** Gate checks by status (PASSED, UNSTABLE, FAILED, SKIPPED). */
    public Map<String, Integer> getCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("FAILED", figures.getFailed());
        counts.put("UNSTABLE", figures.getUnstable());
        counts.put("SKIPPED", figures.getSkipped());
        counts.put("PASSED", figures.getPassed());
        counts.values().removeIf(Objects::isNull);
        return counts;
    }

    public List<String> getRecordedStages() {
        return figures.getRecordedStages();
    }

    /** Verdict, counts and key figures: what the job's trend reads (never the stored files). */
    public RunFigures getFigures() {
        return figures;
    }

    public List<String> getLeftOnAgent() {
        return leftOnAgent;
    }

    public PromotedImage getPromoted() {
        return promoted;
    }

    /** Set by {@code vaultPromote}; the caller saves the build. */
    public void setPromoted(PromotedImage promoted) {
        this.promoted = promoted;
    }

    /**
     * The stored summary, read from the build's directory on first use and held softly; null when
     * it cannot be read (the page then says why, from {@link #summaryProblem()}).
     */
    BuildSummary storedSummary() {
        BuildSummary s = cached == null ? null : cached.get();
        if (s == null && store != null) {
            try {
                s = store.summary(stage);
                cached = new SoftReference<>(s);
            } catch (IOException e) {
                return null;
            }
        }
        return s;
    }

    /** Why the stored summary cannot be read, or null. */
    String summaryProblem() {
        if (storedSummary() != null) {
            return null;
        }
        if (store == null) {
            return "this build's files are not attached";
        }
        try {
            store.summary(stage);
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** The summary box of the build's main page, as HTML made here with every value escaped. */
    public String getSummaryBoxHtml() {
        return BuildPageHtml.summaryBox(this, id + "/");
    }

    /** The body of the gate's own page, as HTML made here with every value escaped. */
    public String getPageHtml() {
        List<String> files;
        try {
            files = store == null ? List.of() : store.files();
        } catch (IOException e) {
            files = List.of();
        }
        return BuildPageHtml.page(this, files);
    }

    /**
     * The stored evidence files at {@code files/<stage>/<file>}, served by Jenkins with its sandboxing
     * Content-Security-Policy (no script runs, whatever a tool wrote into a file).
     */
    public DirectoryBrowserSupport doFiles() {
        return new DirectoryBrowserSupport(this, VirtualFile.forFile(store.root().toFile()), "Vault evidence",
                "clipboard.png", true);
    }
}
