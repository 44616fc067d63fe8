package io.vaultcube.jenkins.model;

import hudson.model.Result;
import org.jenkinsci.plugins.workflow.actions.WarningAction;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Marks a gate's verdict on the stage and the build, as the junit and warnings-ng steps do: a
 * {@code WarningAction} on the step's flow node (the stage shows it) and the build's result, which
 * only ever gets worse ({@code StepContext.setResult} and {@code Run.setResult} never improve it).
 */
public final class ResultMarker {
    private ResultMarker() {
    }

    /** SUCCESS, UNSTABLE or FAILURE; anything else (a verdict that cannot be read) is FAILURE: fail closed. */
    public static Result resultOf(String verdict) {
        if ("SUCCESS".equals(verdict)) {
            return Result.SUCCESS;
        }
        return "UNSTABLE".equals(verdict) ? Result.UNSTABLE : Result.FAILURE;
    }

    /** Sets the build's result and the stage's warning for anything worse than SUCCESS. */
    public static void mark(StepContext context, FlowNode node, Result result, String message) {
        if (result == Result.SUCCESS) {
            return;
        }
        context.setResult(result);
        if (node != null) {
            node.addOrReplaceAction(new WarningAction(result).withMessage(message));
        }
    }
}
