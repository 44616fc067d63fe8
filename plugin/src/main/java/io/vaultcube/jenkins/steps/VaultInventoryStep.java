package io.vaultcube.jenkins.steps;

import hudson.Extension;
import hudson.util.FormValidation;
import io.vaultcube.jenkins.agent.StageKind;
import io.vaultcube.jenkins.agent.StageRequest;
import io.vaultcube.jenkins.credentials.SecretNames;
import io.vaultcube.pipeline.run.inventory.InventorySettings;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code vaultInventory}: {@code vault inventory} on the agent: what is installed in an image root
 * ({@code root}), on the provisioned box over Ansible ({@code inventory}, with the connection of
 * {@code vaultAnsibleProvision}: the SSH key from a credential), or on the agent itself (neither).
 */
public class VaultInventoryStep extends VaultRunnerStep {
    public static final String FUNCTION = "vaultInventory";

    private String root;
    private String inventory;
    private String credentialsId;
    private String user;
    private String limit;
    private boolean become;
    private Map<String, String> extraVars;
    private List<String> pythonEnvs;
    private String script;
    private String timeout;
    private String ansiblePlaybook;

    @DataBoundConstructor
    public VaultInventoryStep() {
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

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = blankToNull(credentialsId);
    }

    public String getUser() {
        return user;
    }

    @DataBoundSetter
    public void setUser(String user) {
        this.user = blankToNull(user);
    }

    public String getLimit() {
        return limit;
    }

    @DataBoundSetter
    public void setLimit(String limit) {
        this.limit = blankToNull(limit);
    }

    public boolean isBecome() {
        return become;
    }

    @DataBoundSetter
    public void setBecome(boolean become) {
        this.become = become;
    }

    public Map<String, String> getExtraVars() {
        return extraVars;
    }

    @DataBoundSetter
    public void setExtraVars(Map<String, String> extraVars) {
        Map<String, String> v = texts(extraVars);
        Checks.require(Checks.variableNames("extraVars", v));
        this.extraVars = v;
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

    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        Checks.require(Checks.duration("timeout", timeout));
        this.timeout = blankToNull(timeout);
    }

    public String getAnsiblePlaybook() {
        return ansiblePlaybook;
    }

    @DataBoundSetter
    public void setAnsiblePlaybook(String ansiblePlaybook) {
        this.ansiblePlaybook = blankToNull(ansiblePlaybook);
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
    public String functionName() {
        return FUNCTION;
    }

    @Override
    protected StageKind kind() {
        return StageKind.INVENTORY;
    }

    @Override
    protected SecretNames secretNames() {
        return new SecretNames(Map.of(), credentialsId);
    }

    @Override
    public StageRequest request(String evidence, String credentialUser) {
        if (root != null && inventory != null) {
            throw new IllegalArgumentException(FUNCTION + ": give root (an image root) or inventory (a running box"
                    + " over Ansible), not both");
        }
        if (inventory == null && (credentialsId != null || user != null || limit != null || become
                || (extraVars != null && !extraVars.isEmpty()))) {
            throw new IllegalArgumentException(FUNCTION + ": credentialsId, user, limit, become and extraVars are the"
                    + " Ansible connection's; they need inventory");
        }
        return super.request(evidence, credentialUser);
    }

    @Override
    protected void describe(StageRequest.Builder r, String credentialUser) {
        r.text("root", root).text("inventory", inventory).text("credentialsId", credentialsId)
                .text("user", user != null ? user : credentialUser).text("limit", limit).flag("become", become)
                .map("extraVars", extraVars).list("pythonEnvs", pythonEnvs).text("script", script)
                .text("timeout", timeout).text("ansiblePlaybook", ansiblePlaybook);
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends VaultStepDescriptor {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @Override
        public String getDisplayName() {
            return "Record what is installed: packages, kernel, driver, GPUs (vault)";
        }

        @Override
        protected Class<? extends VaultStep> stepType() {
            return VaultInventoryStep.class;
        }

        @SuppressWarnings("unchecked")
        public FormValidation doCheckPythonEnvs(@QueryParameter String value) {
            return Checks.form(pythonEnvProblem((List<String>) FormBinding.convert("pythonEnvs", List.class, value)));
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return Checks.form(Checks.duration("timeout", value));
        }
    }
}
