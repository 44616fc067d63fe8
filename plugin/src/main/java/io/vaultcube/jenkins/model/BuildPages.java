package io.vaultcube.jenkins.model;

import hudson.FilePath;
import hudson.model.Run;
import io.vaultcube.jenkins.agent.EvidenceListing;
import io.vaultcube.pipeline.gate.report.BuildSummary;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Puts a gate on its build's page: copies the evidence files the agent lists into the build's
 * directory (streamed, each path checked) and attaches a {@link VaultRunAction} made from the copied
 * summary. The agent chooses what to copy; the controller decides where, and reads back only data.
 */
public final class BuildPages {
    private BuildPages() {
    }

    /**
     * Records the gate of {@code stage} on the build: the next free id ({@code vault}, {@code vault-2}, ...),
     * its files, its action; saves the build.
     */
    public static VaultRunAction recordGate(Run<?, ?> run, FilePath workspace, String node, String evidence,
            String stage, String verdict, boolean rawTelemetry) throws IOException, InterruptedException {
        synchronized (run) {
            int n = run.getActions(VaultRunAction.class).size();
            String id = n == 0 ? VaultRunAction.URL_NAME : VaultRunAction.URL_NAME + "-" + (n + 1);
            VaultRunAction action = copyAndCreate(new File(run.getRootDir(), id), id, String.valueOf(run.getNumber()),
                    workspace, node, evidence, stage, verdict, rawTelemetry);
            run.addAction(action);
            run.save();
            return action;
        }
    }

    /**
     * Copies the listed evidence into {@code directory} and makes the action (not attached yet).
     * A gate whose summary did not arrive still gets an action with the gate's verdict ({@code verdict},
     * FAILURE when none), and the page says what is missing.
     */
    public static VaultRunAction copyAndCreate(File directory, String id, String buildNumber, FilePath workspace,
            String node, String evidence, String stage, String verdict, boolean rawTelemetry)
            throws IOException, InterruptedException {
        BuildStore store = new BuildStore(directory);
        EvidenceListing.Listing listing = workspace.act(new EvidenceListing(evidence, rawTelemetry));
        List<String> left = new ArrayList<>(listing.leftOnAgent());
        FilePath root = workspace.child(evidence);
        for (EvidenceListing.Entry e : listing.copy()) {
            Path target = store.target(e.path());
            Files.createDirectories(target.getParent());
            root.child(e.path()).copyTo(new FilePath(target.toFile()));
        }
        BuildSummary summary;
        try {
            summary = store.summary(stage);
        } catch (IOException e) {
            summary = new BuildSummary(BuildSummary.SCHEMA, verdict == null ? "FAILURE" : verdict, "(unknown)",
                    "the gate's summary did not reach the build: " + e.getMessage(), null, null, null, 0, null, null);
        }
        VaultRunAction action = new VaultRunAction(id, node, evidence, stage, summary,
                summary.runFigures(buildNumber, "#" + buildNumber, Instant.now()), left);
        action.attachStore(store);
        return action;
    }

    /** The gate action a promotion belongs to: the newest of the same node and gate stage, else the newest. */
    public static VaultRunAction gateOf(Run<?, ?> run, String node, String gateStage) {
        List<VaultRunAction> all = run.getActions(VaultRunAction.class);
        VaultRunAction fallback = null;
        for (VaultRunAction a : all) {
            fallback = a;
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            VaultRunAction a = all.get(i);
            if (a.getStage().equals(gateStage) && Objects.equals(a.getNode(), node)) {
                return a;
            }
        }
        return fallback;
    }
}
