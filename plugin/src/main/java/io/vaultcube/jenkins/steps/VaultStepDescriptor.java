package io.vaultcube.jenkins.steps;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Descriptor;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import java.util.Map;
import java.util.Set;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.workflow.graph.FlowNode;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;

/**
 * The descriptor every {@code vault*} step shares: its names, the context it needs (a workspace on
 * an agent, so {@code node} or {@code agent} around it), and the Snippet Generator's binding of list
 * and map fields ({@link FormBinding}). A step's {@code DescriptorImpl} is its names and the form
 * checks of its own parameters.
 */
public abstract class VaultStepDescriptor extends StepDescriptor {
    private static final Set<Class<?>> CONTEXT = Set.of(Run.class, TaskListener.class, FilePath.class,
            Launcher.class, EnvVars.class, FlowNode.class);

    private final String functionName;
    private final String displayName;

    /** {@code functionName} is also the descriptor's {@code @Symbol}; {@code displayName} the Snippet Generator's. */
    protected VaultStepDescriptor(String functionName, String displayName) {
        this.functionName = functionName;
        this.displayName = displayName;
    }

    @Override
    public final String getFunctionName() {
        return functionName;
    }

    @Override
    public final String getDisplayName() {
        return displayName;
    }

    @Override
    public final Set<? extends Class<?>> getRequiredContext() {
        return CONTEXT;
    }

    /** The step class this descriptor describes: the class it is nested in, as {@code Descriptor()} finds it. */
    protected final Class<? extends VaultStep> stepType() {
        return getClass().getEnclosingClass().asSubclass(VaultStep.class);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Step newInstance(StaplerRequest2 req, JSONObject formData) throws Descriptor.FormException {
        try {
            return FormBinding.bind(stepType(), (Map<String, Object>) (Map<String, ?>) formData);
        } catch (IllegalArgumentException e) {
            throw new Descriptor.FormException(e.getMessage(), null);
        }
    }

    public FormValidation doCheckStage(@QueryParameter String value) {
        return Checks.form(Checks.stage(value));
    }

    /** A map field of secrets' environment variable NAMES: the check that no value was given in their place. */
    @SuppressWarnings("unchecked")
    protected static FormValidation envNames(String name, String value) {
        try {
            return Checks.form(Checks.envNames(name, (Map<String, String>) FormBinding.convert(name, Map.class, value)));
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** A {@code sensitive...FromFile} field's check: variable names and non-blank paths. */
    @SuppressWarnings("unchecked")
    protected static FormValidation secretFiles(String name, String value) {
        try {
            return Checks.form(Checks.secretFiles(name, (Map<String, String>) FormBinding.convert(name, Map.class,
                    value)));
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** A whole-number field's check. */
    protected static FormValidation range(String name, String value, int min, int max) {
        try {
            return Checks.form(Checks.range(name, (Integer) FormBinding.convert(name, Integer.class, value), min, max));
        } catch (IllegalArgumentException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** A list or map as the config form shows it, one entry per line (used by the config.jelly files). */
    public String lines(Object value) {
        return FormBinding.lines(value);
    }
}
