package io.vaultcube.jenkins.steps;

import hudson.Extension;
import hudson.util.FormValidation;
import io.vaultcube.jenkins.agent.StageKind;
import io.vaultcube.jenkins.agent.StageRequest;
import io.vaultcube.jenkins.credentials.SecretNames;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code vaultAnsibleProvision}: {@code vault provision} on the agent, with idempotency runs. The
 * SSH key comes from a credential ({@code credentialsId}); no key file is named in the Jenkinsfile.
 */
public class VaultAnsibleProvisionStep extends VaultRunnerStep {
    public static final String FUNCTION = "vaultAnsibleProvision";

    private final String playbook;
    private final String inventory;
    private String credentialsId;
    private String user;
    private String limit;
    private String tags;
    private String skipTags;
    private Map<String, String> extraVars;
    private Map<String, String> sensitiveExtraVarsFromEnv;
    private List<String> extraVarsFiles;
    private boolean become;
    private boolean check;
    private boolean diff;
    private int idempotencyRuns = 1;
    private String timeout;
    private String ansiblePlaybook;

    @DataBoundConstructor
    public VaultAnsibleProvisionStep(String playbook, String inventory) {
        Checks.require(Checks.required("playbook", playbook));
        Checks.require(Checks.required("inventory", inventory));
        this.playbook = playbook.strip();
        this.inventory = inventory.strip();
    }

    public String getPlaybook() {
        return playbook;
    }

    public String getInventory() {
        return inventory;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** An SSH Username with private key credential; its user is the default {@code user}. */
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

    public String getTags() {
        return tags;
    }

    @DataBoundSetter
    public void setTags(String tags) {
        this.tags = blankToNull(tags);
    }

    public String getSkipTags() {
        return skipTags;
    }

    @DataBoundSetter
    public void setSkipTags(String skipTags) {
        this.skipTags = blankToNull(skipTags);
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

    public Map<String, String> getSensitiveExtraVarsFromEnv() {
        return sensitiveExtraVarsFromEnv;
    }

    /** Extra variables that are secrets: variable → the NAME of the environment variable holding the value. */
    @DataBoundSetter
    public void setSensitiveExtraVarsFromEnv(Map<String, String> sensitiveExtraVarsFromEnv) {
        Map<String, String> v = texts(sensitiveExtraVarsFromEnv);
        Checks.require(Checks.variableNames("sensitiveExtraVarsFromEnv", v));
        Checks.require(Checks.envNames("sensitiveExtraVarsFromEnv", v));
        this.sensitiveExtraVarsFromEnv = v;
    }

    public List<String> getExtraVarsFiles() {
        return extraVarsFiles;
    }

    @DataBoundSetter
    public void setExtraVarsFiles(List<String> extraVarsFiles) {
        this.extraVarsFiles = texts(extraVarsFiles);
    }

    public boolean isBecome() {
        return become;
    }

    @DataBoundSetter
    public void setBecome(boolean become) {
        this.become = become;
    }

    public boolean isCheck() {
        return check;
    }

    @DataBoundSetter
    public void setCheck(boolean check) {
        this.check = check;
    }

    public boolean isDiff() {
        return diff;
    }

    @DataBoundSetter
    public void setDiff(boolean diff) {
        this.diff = diff;
    }

    public int getIdempotencyRuns() {
        return idempotencyRuns;
    }

    /** Runs of the playbook, 1 to 10 (default 1); runs 2..N must change nothing. */
    @DataBoundSetter
    public void setIdempotencyRuns(int idempotencyRuns) {
        Checks.require(Checks.range("idempotencyRuns", idempotencyRuns, 1, 10));
        this.idempotencyRuns = idempotencyRuns;
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

    /** The ansible-playbook executable: a path, or a name on the agent's PATH. */
    @DataBoundSetter
    public void setAnsiblePlaybook(String ansiblePlaybook) {
        this.ansiblePlaybook = blankToNull(ansiblePlaybook);
    }

    @Override
    public String functionName() {
        return FUNCTION;
    }

    @Override
    protected StageKind kind() {
        return StageKind.PROVISION;
    }

    @Override
    protected SecretNames secretNames() {
        return new SecretNames(sensitiveExtraVarsFromEnv, credentialsId);
    }

    @Override
    protected void describe(StageRequest.Builder r, String credentialUser) {
        r.text("playbook", playbook).text("inventory", inventory).text("credentialsId", credentialsId)
                .text("user", user != null ? user : credentialUser).text("limit", limit).text("tags", tags)
                .text("skipTags", skipTags).map("extraVars", extraVars)
                .map("sensitiveExtraVarsFromEnv", sensitiveExtraVarsFromEnv).list("extraVarsFiles", extraVarsFiles)
                .flag("become", become).flag("check", check).flag("diff", diff)
                .integer("idempotencyRuns", idempotencyRuns).text("timeout", timeout)
                .text("ansiblePlaybook", ansiblePlaybook);
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
            return "Provision with Ansible, with idempotency runs (vault)";
        }

        @Override
        protected Class<? extends VaultStep> stepType() {
            return VaultAnsibleProvisionStep.class;
        }

        public FormValidation doCheckPlaybook(@QueryParameter String value) {
            return Checks.form(Checks.required("playbook", value));
        }

        public FormValidation doCheckInventory(@QueryParameter String value) {
            return Checks.form(Checks.required("inventory", value));
        }

        public FormValidation doCheckIdempotencyRuns(@QueryParameter String value) {
            try {
                return Checks.form(Checks.range("idempotencyRuns", (Integer) FormBinding.convert("idempotencyRuns",
                        Integer.class, value), 1, 10));
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return Checks.form(Checks.duration("timeout", value));
        }

        public FormValidation doCheckSensitiveExtraVarsFromEnv(@QueryParameter String value) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, String> map = (Map<String, String>) FormBinding.convert("sensitiveExtraVarsFromEnv",
                        Map.class, value);
                return Checks.form(Checks.envNames("sensitiveExtraVarsFromEnv", map));
            } catch (IllegalArgumentException e) {
                return FormValidation.error(e.getMessage());
            }
        }
    }
}
