package io.vaultcube.jenkins.agent;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import java.io.File;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import jenkins.MasterToSlaveFileCallable;

/**
 * Runs one stage on the agent that holds the workspace: takes this call's staged secrets, builds
 * the core's settings there, opens the build's evidence directory and calls the stage's runner,
 * whose output goes to the build log line by line as the tool writes it. Image bytes, telemetry
 * and evidence stay on the agent; a small {@link StageSummary} comes back.
 *
 * <p>An abort interrupts this call (remoting interrupts the agent's thread); the runner then stops
 * the tool's process tree as the CLI does, records the stage ABORTED and returns with the interrupt
 * set, which this call turns into an {@link InterruptedException}.
 */
public final class RunnerCallable extends MasterToSlaveFileCallable<StageSummary> {
    private static final long serialVersionUID = 1L;

    private final StageRequest request;
    private final StagedSecrets secrets;
    private final TaskListener listener;

    public RunnerCallable(StageRequest request, StagedSecrets secrets, TaskListener listener) {
        this.request = request;
        this.secrets = secrets == null ? StagedSecrets.none() : secrets;
        this.listener = listener;
    }

    public StageRequest request() {
        return request;
    }

    @Override
    public StageSummary invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
        Path ws = workspace.toPath().toAbsolutePath();
        AgentSecrets values = AgentSecrets.take(secrets);
        Path evidenceRoot = ws.resolve(request.evidence());
        String stageDir = StageSummary.relative(ws, evidenceRoot.resolve(request.stage()));
        RequestSettings.StageCall call;
        try {
            call = RequestSettings.prepare(request, ws, values, new ProcessRunner());
        } catch (IllegalArgumentException e) {
            return StageSummary.setupError(request.kind().id() + ": " + e.getMessage(), stageDir);
        }
        EvidenceDir evidence = EvidenceDir.create(evidenceRoot);
        RunResult result;
        OutputStream console = new NonClosingStream(listener.getLogger());
        try {
            result = call.run(console, evidence.stage(request.stage()));
        } catch (RunSetupException e) {
            return StageSummary.setupError(e.getMessage(), stageDir);
        } finally {
            console.flush();
        }
        if (result.aborted() || Thread.interrupted()) {
            throw new InterruptedException(request.kind().id() + " (" + request.stage() + ") was aborted; "
                    + "the evidence in " + stageDir + " says so");
        }
        return StageSummary.of(result, ws);
    }

    /** The build log stays open after a stage: the runner's console must not close it. */
    static final class NonClosingStream extends FilterOutputStream {
        NonClosingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
