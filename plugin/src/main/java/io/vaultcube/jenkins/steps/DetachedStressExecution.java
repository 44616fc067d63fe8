package io.vaultcube.jenkins.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.vaultcube.jenkins.agent.DetachedStressCallables;
import io.vaultcube.jenkins.agent.StageRequest;
import io.vaultcube.jenkins.agent.StageSummary;
import io.vaultcube.jenkins.agent.SupervisorJars;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * {@code vaultStressTest} with a workload: the soak runs detached on the agent (the core's
 * {@code vault stress --detach}), and this execution follows it from a thread of its own. Its
 * persisted state is the function name, the stage and, once started, the soak's stage directory
 * on the agent: nothing else, no secret. After a controller restart {@link #onResume()} follows
 * the same soak again and reports it when it ends; a soak that cannot be followed (gone, its state
 * missing or garbled, the supervisor killed without a result) fails the step naming its directory.
 * Stopping the build stops the soak ({@code vault stress --stop}): the stage is recorded ABORTED.
 */
final class DetachedStressExecution extends StepExecution {
    private static final long serialVersionUID = 1L;
    /** Followers wait for hours on a soak; they are no work for Jenkins' bounded pools. */
    private static final ExecutorService FOLLOWERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vaultStressTest follower");
        t.setDaemon(true);
        return t;
    });

    private final transient VaultStressTestStep step;
    private final String function;
    private final String stage;
    /** The soak's stage directory on the agent once it has been started; null before. */
    private volatile String stageDir;
    private transient volatile Future<?> task;
    private transient volatile boolean stopping;

    DetachedStressExecution(StepContext context, VaultStressTestStep step) {
        super(context);
        this.step = step;
        this.function = step.functionName();
        this.stage = step.stageName();
    }

    /** The soak's stage directory on the agent, or null before it was started. */
    String stageDir() {
        return stageDir;
    }

    @Override
    public boolean start() throws Exception {
        task = FOLLOWERS.submit(() -> complete(this::startAndFollow));
        return false;
    }

    @Override
    public void onResume() {
        task = FOLLOWERS.submit(() -> complete(() -> {
            if (stageDir == null) {
                throw new AbortException(function + " (" + stage + "): the controller restarted before the soak was"
                        + " started on the agent, or before its start was saved; nothing to re-attach to. If a soak"
                        + " runs in this build's evidence directory, stop it with vault stress --stop STAGE_DIR");
            }
            listener().getLogger().println("vault: " + function + ": re-attaching after a restart to the detached"
                    + " soak in " + stageDir);
            return follow(false);
        }));
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        stopping = true;
        Future<?> following = task;
        if (following != null) {
            following.cancel(true);
        }
        FOLLOWERS.submit(() -> {
            try {
                if (stageDir != null) {
                    listener().getLogger().println("vault: " + function + ": the build was stopped; stopping the soak");
                    follow(true);
                }
            } catch (Exception | Error e) {
                cause.addSuppressed(e);
            } finally {
                getContext().onFailure(cause);
            }
        });
    }

    @Override
    public boolean blocksRestart() {
        // The soak is not in this JVM: a restart interrupts the following only.
        return false;
    }

    @Override
    public String getStatus() {
        return stageDir == null ? "starting the soak" : "following the detached soak in " + stageDir;
    }

    @FunctionalInterface
    private interface Work {
        Object run() throws Exception;
    }

    /** Runs the work and ends the step with its value or its error (not after a stop: stop ends it). */
    private void complete(Work work) {
        try {
            Object value = work.run();
            if (!stopping) {
                getContext().onSuccess(value);
            }
        } catch (Throwable t) {
            if (!stopping) {
                getContext().onFailure(t);
            }
        }
    }

    private Object startAndFollow() throws Exception {
        FilePath ws = workspace();
        TaskListener listener = listener();
        EnvVars env = getContext().get(EnvVars.class);
        String evidence = step.evidenceDirectory(env == null ? new EnvVars() : env);
        StageRequest request = step.request(evidence, null);
        listener.getLogger().println("vault: " + function + ": stage " + request.stage() + ", evidence " + evidence
                + "/" + request.stage() + " (the soak runs detached on the agent: a controller restart does not"
                + " stop it)");
        DetachedStressCallables.Started started = ws.act(new DetachedStressCallables.Start(request,
                SupervisorJars.ofThisJvm()));
        if (started.setupError() != null) {
            return StepResults.orFail(function, stage, started.setupError(), false);
        }
        stageDir = started.stageDir();
        if (stopping) {
            // The build was stopped while the soak started: stop it too (stop() found no directory yet).
            // stop() interrupted this thread to end the following; the stopping itself must not be cut short.
            Thread.interrupted();
            follow(true);
            return null;
        }
        // Persist the stage directory now: a restart from here on re-attaches to it.
        getContext().saveState();
        return follow(false);
    }

    private Object follow(boolean stop) throws Exception {
        StageSummary summary = workspace().act(new DetachedStressCallables.Follow(stageDir, listener(), stop));
        return StepResults.orFail(function, stage, summary, false);
    }

    private FilePath workspace() throws IOException, InterruptedException {
        return VaultStepExecution.workspace(getContext(), stageDir == null ? "" : "; the detached soak is in " + stageDir);
    }

    private TaskListener listener() throws IOException, InterruptedException {
        return VaultStepExecution.listener(getContext());
    }
}
