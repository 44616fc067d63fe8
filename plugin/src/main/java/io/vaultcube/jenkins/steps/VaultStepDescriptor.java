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
 * The descriptor every {@code vault*} step shares: the context it needs (a workspace on an agent,
 * so {@code node} or {@code agent} around it), and the Snippet Generator's binding of list and map
 * fields ({@link FormBinding}).
 */
public abstract class VaultStepDescriptor extends StepDescriptor {
    private static final Set<Class<?>> CONTEXT = Set.of(Run.class, TaskListener.class, FilePath.class,
            Launcher.class, EnvVars.class, FlowNode.class);

    @Override
    public final Set<? extends Class<?>> getRequiredContext() {
        return CONTEXT;
    }

    /** The step class this descriptor describes. */
    protected abstract Class<? extends VaultStep> stepType();

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
