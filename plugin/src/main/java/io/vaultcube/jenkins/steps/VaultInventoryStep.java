package io.vaultcube.jenkins.steps;

import hudson.Extension;
import hudson.util.FormValidation;
import io.vaultcube.jenkins.agent.RunnerKind;
import io.vaultcube.jenkins.agent.StageRequest;
import io.vaultcube.pipeline.run.inventory.InventorySettings;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code vaultInventory}: {@code vault inventory} on the agent: what is installed in an image root
 * ({@code root}), on the provisioned box over Ansible ({@code inventory}, with the connection of
 * {@code vaultAnsibleProvision}: the SSH key from a credential), or on the agent itself (neither).
 */
public class VaultInventoryStep extends VaultSshTargetStep {
    public static final String FUNCTION = "vaultInventory";

    private String root;
    private String inventory;
    private List<String> pythonEnvs;
    private String script;

    @DataBoundConstructor
    public VaultInventoryStep() {
        super(FUNCTION, RunnerKind.INVENTORY);
        // every parameter is optional: with neither root nor inventory the agent itself is inventoried
    }

    public String getRoot() {
        return root;
    }

    /** An image root mounted or unpacked on the agent (relative to the workspace); not with {@code inventory}. */
    @DataBoundSetter
    public void setRoot(String root) {
        this.root = blankToNull(root);
    }

    public String getInventory() {
        return inventory;
    }

    /** A running box over Ansible: an inventory file or directory, or hosts with a comma; not with {@code root}. */
    @DataBoundSetter
    public void setInventory(String inventory) {
        this.inventory = blankToNull(inventory);
    }

    public List<String> getPythonEnvs() {
        return pythonEnvs;
    }

    /** {@code NAME=SITE_DIR} environments to list; default: the collection script's discovery. */
    @DataBoundSetter
    public void setPythonEnvs(List<String> pythonEnvs) {
        List<String> v = texts(pythonEnvs);
        Checks.require(pythonEnvProblem(v));
        this.pythonEnvs = v;
    }

    public String getScript() {
        return script;
    }

    @DataBoundSetter
    public void setScript(String script) {
        this.script = blankToNull(script);
    }

    /** The first environment that is not {@code NAME=/ABSOLUTE/SITE_DIR}, as the core refuses it, or null. */
    static String pythonEnvProblem(List<String> envs) {
        if (envs == null) {
            return null;
        }
        for (String e : envs) {
            if (!InventorySettings.PYTHON_ENV.matcher(e).matches()) {
                return "pythonEnvs: each is NAME=/ABSOLUTE/SITE_DIR (no spaces or quotes), found '" + e + "'";
            }
        }
        return null;
    }

    @Override
    public StageRequest request(String evidence, String credentialUser) {
        if (root != null && inventory != null) {
            throw new IllegalArgumentException(FUNCTION + ": give root (an image root) or inventory (a running box"
                    + " over Ansible), not both");
        }
        if (inventory == null && connectionGiven()) {
            throw new IllegalArgumentException(FUNCTION + ": credentialsId, user, limit, become and extraVars are the"
                    + " Ansible connection's; they need inventory");
        }
        return super.request(evidence, credentialUser);
    }

    @Override
    protected void describe(StageRequest.Builder r, String credentialUser) {
        super.describe(r, credentialUser);
        r.text("root", root).text("inventory", inventory).list("pythonEnvs", pythonEnvs).text("script", script);
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends SshTargetDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "Record what is installed: packages, kernel, driver, GPUs (vault)");
        }

        @SuppressWarnings("unchecked")
        public FormValidation doCheckPythonEnvs(@QueryParameter String value) {
            return Checks.form(pythonEnvProblem((List<String>) FormBinding.convert("pythonEnvs", List.class, value)));
        }
    }
}
