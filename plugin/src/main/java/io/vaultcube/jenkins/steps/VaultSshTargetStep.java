package io.vaultcube.jenkins.steps;

import hudson.util.FormValidation;
import io.vaultcube.jenkins.agent.RunnerKind;
import io.vaultcube.jenkins.agent.StageRequest;
import io.vaultcube.jenkins.credentials.SecretNames;
import java.util.Map;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * The base of the runner steps that reach a box over SSH with {@code ansible-playbook}
 * ({@code vaultAnsibleProvision}, {@code vaultInventory}): the connection (the SSH key from a
 * credential, never a key file named in the Jenkinsfile), the playbook's executable and the run's
 * timeout. Public, as its setters are: Jenkins binds {@code @DataBoundSetter}s of superclasses too.
 */
public abstract class VaultSshTargetStep extends VaultRunnerStep {
    private String credentialsId;
    private String user;
    private String limit;
    private boolean become;
    private Map<String, String> extraVars;
    private String timeout;
    private String ansiblePlaybook;

    protected VaultSshTargetStep(String functionName, RunnerKind kind) {
        super(functionName, kind);
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
        this.extraVars = variables("extraVars", extraVars);
    }

    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = duration("timeout", timeout);
    }

    public String getAnsiblePlaybook() {
        return ansiblePlaybook;
    }

    /** The ansible-playbook executable: a path, or a name on the agent's PATH. */
    @DataBoundSetter
    public void setAnsiblePlaybook(String ansiblePlaybook) {
        this.ansiblePlaybook = blankToNull(ansiblePlaybook);
    }

    /** Whether any of the connection's settings (credentialsId, user, limit, become, extraVars) was given. */
    boolean connectionGiven() {
        return credentialsId != null || user != null || limit != null || become
                || (extraVars != null && !extraVars.isEmpty());
    }

    /** The SSH key's credential; a subclass adds the names of its other secrets. */
    @Override
    protected SecretNames secretNames() {
        return new SecretNames(Map.of(), credentialsId);
    }

    /** The connection, the executable and the timeout; a subclass adds its own parameters after {@code super}. */
    @Override
    protected void describe(StageRequest.Builder r, String credentialUser) {
        r.text("credentialsId", credentialsId).text("user", user != null ? user : credentialUser).text("limit", limit)
                .flag("become", become).map("extraVars", extraVars).text("timeout", timeout)
                .text("ansiblePlaybook", ansiblePlaybook);
    }

    /** The form checks of the shared parameters. */
    public abstract static class SshTargetDescriptor extends VaultStepDescriptor {
        protected SshTargetDescriptor(String functionName, String displayName) {
            super(functionName, displayName);
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return Checks.form(Checks.duration("timeout", value));
        }
    }
}
