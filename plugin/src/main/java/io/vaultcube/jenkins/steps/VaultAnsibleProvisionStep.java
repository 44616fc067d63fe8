package io.vaultcube.jenkins.steps;

import hudson.Extension;
import hudson.util.FormValidation;
import io.vaultcube.jenkins.agent.RunnerKind;
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
public class VaultAnsibleProvisionStep extends VaultSshTargetStep {
    public static final String FUNCTION = "vaultAnsibleProvision";

    private final String playbook;
    private final String inventory;
    private String tags;
    private String skipTags;
    private Map<String, String> sensitiveExtraVarsFromEnv;
    private Map<String, String> sensitiveExtraVarsFromFile;
    private List<String> extraVarsFiles;
    private boolean check;
    private boolean diff;
    private int idempotencyRuns = 1;

    @DataBoundConstructor
    public VaultAnsibleProvisionStep(String playbook, String inventory) {
        super(FUNCTION, RunnerKind.PROVISION);
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

    public Map<String, String> getSensitiveExtraVarsFromEnv() {
        return sensitiveExtraVarsFromEnv;
    }

    /** Extra variables that are secrets: variable → the NAME of the environment variable holding the value. */
    @DataBoundSetter
    public void setSensitiveExtraVarsFromEnv(Map<String, String> sensitiveExtraVarsFromEnv) {
        Map<String, String> v = variables("sensitiveExtraVarsFromEnv", sensitiveExtraVarsFromEnv);
        Checks.require(Checks.envNames("sensitiveExtraVarsFromEnv", v));
        Checks.require(Checks.oneForm("sensitiveExtraVarsFromEnv", v, "sensitiveExtraVarsFromFile",
                sensitiveExtraVarsFromFile));
        this.sensitiveExtraVarsFromEnv = v;
    }

    public Map<String, String> getSensitiveExtraVarsFromFile() {
        return sensitiveExtraVarsFromFile;
    }

    /**
     * Extra variables that are secrets, from files: variable → the path of the file that holds the
     * value (a {@code withCredentials} file binding's variable). The path is kept; the agent reads the file.
     */
    @DataBoundSetter
    public void setSensitiveExtraVarsFromFile(Map<String, String> sensitiveExtraVarsFromFile) {
        this.sensitiveExtraVarsFromFile = secretFiles("sensitiveExtraVarsFromFile", sensitiveExtraVarsFromFile,
                "sensitiveExtraVarsFromEnv", sensitiveExtraVarsFromEnv);
    }

    public List<String> getExtraVarsFiles() {
        return extraVarsFiles;
    }

    @DataBoundSetter
    public void setExtraVarsFiles(List<String> extraVarsFiles) {
        this.extraVarsFiles = texts(extraVarsFiles);
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

    @Override
    protected SecretNames secretNames() {
        return new SecretNames(sensitiveExtraVarsFromEnv, getCredentialsId());
    }

    @Override
    protected void describe(StageRequest.Builder r, String credentialUser) {
        super.describe(r, credentialUser);
        r.text("playbook", playbook).text("inventory", inventory).text("tags", tags).text("skipTags", skipTags)
                .map("sensitiveExtraVarsFromEnv", sensitiveExtraVarsFromEnv)
                .map("sensitiveExtraVarsFromFile", sensitiveExtraVarsFromFile).list("extraVarsFiles", extraVarsFiles)
                .flag("check", check).flag("diff", diff).integer("idempotencyRuns", idempotencyRuns);
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends SshTargetDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "Provision with Ansible, with idempotency runs (vault)");
        }

        public FormValidation doCheckPlaybook(@QueryParameter String value) {
            return Checks.form(Checks.required("playbook", value));
        }

        public FormValidation doCheckInventory(@QueryParameter String value) {
            return Checks.form(Checks.required("inventory", value));
        }

        public FormValidation doCheckIdempotencyRuns(@QueryParameter String value) {
            return range("idempotencyRuns", value, 1, 10);
        }

        public FormValidation doCheckSensitiveExtraVarsFromEnv(@QueryParameter String value) {
            return envNames("sensitiveExtraVarsFromEnv", value);
        }

        public FormValidation doCheckSensitiveExtraVarsFromFile(@QueryParameter String value) {
            return secretFiles("sensitiveExtraVarsFromFile", value);
        }
    }
}
