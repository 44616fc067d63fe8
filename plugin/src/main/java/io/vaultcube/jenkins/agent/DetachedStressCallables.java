package io.vaultcube.jenkins.agent;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.stress.DetachedSoak;
import io.vaultcube.pipeline.run.stress.StressSettings;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jenkins.MasterToSlaveFileCallable;

/**
 * {@code vaultStressTest} on the agent, detached ({@link DetachedSoak}): one call starts the soak
 * in a supervisor of its own session on the agent, which a controller restart or an agent
 * reconnect does not stop; another follows it (again after a restart) and brings back its
 * summary; a third stops it (an abort of the build).
 */
public final class DetachedStressCallables {
    private DetachedStressCallables() {
    }

    /**
     * How a start went: the stage directory on the agent (absolute), or why nothing was started.
     *
     * @param stageDir the soak's stage directory, or null when nothing was started
     * @param setupError what could not work (as the CLI's exit 2), or null
     */
    public record Started(String stageDir, StageSummary setupError) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** Starts the soak detached; returns at once. */
    public static final class Start extends MasterToSlaveFileCallable<Started> {
        private static final long serialVersionUID = 1L;
        private final StageRequest request;
        private final SupervisorJars jars;

        public Start(StageRequest request, SupervisorJars jars) {
            this.request = request;
            this.jars = jars;
        }

        @Override
        public Started invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
            Path ws = workspace.toPath().toAbsolutePath();
            Path evidenceRoot = ws.resolve(request.evidence());
            String stageDir = StageSummary.relative(ws, evidenceRoot.resolve(request.stage()));
            StressSettings settings;
            try {
                settings = RequestSettings.stress(request, ws);
            } catch (IllegalArgumentException e) {
                return new Started(null, StageSummary.setupError(request.kind().id() + ": " + e.getMessage(), stageDir));
            }
            List<Path> classpath = jars.install(RequestSettings.tempRoot(ws).resolve("vault-soak-lib"));
            try {
                DetachedSoak.State state = DetachedSoak.detach(settings, EvidenceDir.create(evidenceRoot)
                        .stage(request.stage()), new DetachedSoak.Launch(DetachedSoak.javaOfThisJvm(), classpath));
                return new Started(state.stageDir().toString(), null);
            } catch (RunSetupException e) {
                return new Started(null, StageSummary.setupError(e.getMessage(), stageDir));
            }
        }
    }

    /**
     * Follows the soak to its end, its console into the build log (from the start of the soak), and
     * returns its summary. A soak that cannot be followed is FAILED, naming its directory. An
     * interrupt ends the following only; the soak goes on.
     */
    public static final class Follow extends MasterToSlaveFileCallable<StageSummary> {
        private static final long serialVersionUID = 1L;
        private final String stageDir;
        private final TaskListener listener;
        private final boolean stop;

        public Follow(String stageDir, TaskListener listener, boolean stop) {
            this.stageDir = stageDir;
            this.listener = listener;
            this.stop = stop;
        }

        @Override
        public StageSummary invoke(File workspace, VirtualChannel channel) throws IOException, InterruptedException {
            Path ws = workspace.toPath().toAbsolutePath();
            Path dir = Path.of(stageDir);
            OutputStream console = new RunnerCallable.NonClosingStream(listener.getLogger());
            try {
                RunResult r = stop ? DetachedSoak.stop(dir, console) : DetachedSoak.attach(dir, console);
                return StageSummary.of(r, ws);
            } catch (DetachedSoak.AttachException e) {
                return new StageSummary("FAILED", List.of(e.getMessage()), StageSummary.relative(ws, dir),
                        Map.of(), 0);
            } finally {
                console.flush();
            }
        }
    }
}
