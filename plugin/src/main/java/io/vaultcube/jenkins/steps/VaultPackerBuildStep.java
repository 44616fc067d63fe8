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

/** {@code vaultPackerBuild}: {@code vault packer-build} on the agent (validate, build, evidence, masking). */
public class VaultPackerBuildStep extends VaultRunnerStep {
    public static final String FUNCTION = "vaultPackerBuild";

    private final String template;
    private Map<String, String> vars;
    private List<String> varFiles;
    private Map<String, String> sensitiveVarsFromEnv;
    private Map<String, String> sensitiveVarsFromFile;
    private List<String> only;
    private List<String> except;
    private String onError;
    private boolean force;
    private String timeout;
    private String packer;

    @DataBoundConstructor
    public VaultPackerBuildStep(String template) {
        super(FUNCTION, RunnerKind.PACKER_BUILD);
        Checks.require(Checks.required("template", template));
        this.template = template.strip();
    }

    public String getTemplate() {
        return template;
    }

    public Map<String, String> getVars() {
        return vars;
    }

    @DataBoundSetter
    public void setVars(Map<String, String> vars) {
        this.vars = variables("vars", vars);
    }

    public List<String> getVarFiles() {
        return varFiles;
    }

    @DataBoundSetter
    public void setVarFiles(List<String> varFiles) {
        this.varFiles = texts(varFiles);
    }

    public Map<String, String> getSensitiveVarsFromEnv() {
        return sensitiveVarsFromEnv;
    }

    @DataBoundSetter
    public void setSensitiveVarsFromEnv(Map<String, String> sensitiveVarsFromEnv) {
        Map<String, String> v = texts(sensitiveVarsFromEnv);
        Checks.require(Checks.envNames("sensitiveVarsFromEnv", v));
        Checks.require(Checks.oneForm("sensitiveVarsFromEnv", v, "sensitiveVarsFromFile", sensitiveVarsFromFile));
        this.sensitiveVarsFromEnv = v;
    }

    public Map<String, String> getSensitiveVarsFromFile() {
        return sensitiveVarsFromFile;
    }

    /**
     * Sensitive variables from files: variable → the path of the file that holds its value (a
     * {@code withCredentials} file binding's variable). The path is kept; the agent reads the file.
     */
    @DataBoundSetter
    public void setSensitiveVarsFromFile(Map<String, String> sensitiveVarsFromFile) {
        this.sensitiveVarsFromFile = secretFiles("sensitiveVarsFromFile", sensitiveVarsFromFile,
                "sensitiveVarsFromEnv", sensitiveVarsFromEnv);
    }

    public List<String> getOnly() {
        return only;
    }

    @DataBoundSetter
    public void setOnly(List<String> only) {
        this.only = texts(only);
    }

    public List<String> getExcept() {
        return except;
    }

    @DataBoundSetter
    public void setExcept(List<String> except) {
        this.except = texts(except);
    }

    public String getOnError() {
        return onError;
    }

    @DataBoundSetter
    public void setOnError(String onError) {
        Checks.require(Checks.onError(blankToNull(onError)));
        this.onError = blankToNull(onError);
    }

    public boolean isForce() {
        return force;
    }

    @DataBoundSetter
    public void setForce(boolean force) {
        this.force = force;
    }

    public String getTimeout() {
        return timeout;
    }

    @DataBoundSetter
    public void setTimeout(String timeout) {
        this.timeout = duration("timeout", timeout);
    }

    public String getPacker() {
        return packer;
    }

    /** The packer executable: a path, or a name on the agent's PATH (default {@code packer}). */
    @DataBoundSetter
    public void setPacker(String packer) {
        this.packer = blankToNull(packer);
    }

    @Override
    protected SecretNames secretNames() {
        return new SecretNames(sensitiveVarsFromEnv, null);
    }

    @Override
    protected void describe(StageRequest.Builder r, String credentialUser) {
        r.text("template", template).map("vars", vars).list("varFiles", varFiles)
                .map("sensitiveVarsFromEnv", sensitiveVarsFromEnv).map("sensitiveVarsFromFile", sensitiveVarsFromFile)
                .list("only", only).list("except", except)
                .text("onError", onError).flag("force", force).text("timeout", timeout).text("packer", packer);
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends VaultStepDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "Build an image with Packer (vault)");
        }

        public FormValidation doCheckTemplate(@QueryParameter String value) {
            return Checks.form(Checks.required("template", value));
        }

        public FormValidation doCheckOnError(@QueryParameter String value) {
            return Checks.form(Checks.onError(blankToNull(value)));
        }

        public FormValidation doCheckTimeout(@QueryParameter String value) {
            return Checks.form(Checks.duration("timeout", value));
        }

        public FormValidation doCheckSensitiveVarsFromEnv(@QueryParameter String value) {
            return envNames("sensitiveVarsFromEnv", value);
        }

        public FormValidation doCheckSensitiveVarsFromFile(@QueryParameter String value) {
            return secretFiles("sensitiveVarsFromFile", value);
        }
    }
}
