package io.vaultcube.jenkins.steps;

import hudson.Extension;
import hudson.util.FormValidation;
import io.vaultcube.jenkins.agent.RunnerKind;
import io.vaultcube.jenkins.agent.StageRequest;
import java.util.List;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code vaultGpuValidate}: {@code vault gpu-validate} on the agent: a live run of
 * {@code scripts/validate-gpus.sh} (or {@code script}) against the expectations, or a recorded
 * collection ({@code recorded}) read through the same checks.
 */
public class VaultGpuValidateStep extends VaultRunnerStep {
    public static final String FUNCTION = "vaultGpuValidate";

    private String recorded;
    private String script;
    private Integer expectCount;
    private String expectModel;
    private Integer expectMemoryMib;
    private Integer expectPcieGen;
    private Integer expectPcieWidth;
    private String expectDriverMin;
    private Integer maxIdleTemp;
    private boolean noLoad;
    private Integer loadSeconds;
    private Integer loadWarmup;
    private String python;
    private List<String> loadCommand;

    @DataBoundConstructor
    public VaultGpuValidateStep() {
        super(FUNCTION, RunnerKind.GPU_VALIDATE);
        // every parameter is optional: a live run with no expectations checks what it finds
    }

    public String getRecorded() {
        return recorded;
    }

    @DataBoundSetter
    public void setRecorded(String recorded) {
        this.recorded = blankToNull(recorded);
    }

    public String getScript() {
        return script;
    }

    @DataBoundSetter
    public void setScript(String script) {
        this.script = blankToNull(script);
    }

    public Integer getExpectCount() {
        return expectCount;
    }

    @DataBoundSetter
    public void setExpectCount(Integer expectCount) {
        Checks.require(Checks.range("expectCount", expectCount, 1, 64));
        this.expectCount = expectCount;
    }

    public String getExpectModel() {
        return expectModel;
    }

    @DataBoundSetter
    public void setExpectModel(String expectModel) {
        this.expectModel = blankToNull(expectModel);
    }

    public Integer getExpectMemoryMib() {
        return expectMemoryMib;
    }

    @DataBoundSetter
    public void setExpectMemoryMib(Integer expectMemoryMib) {
        Checks.require(Checks.range("expectMemoryMib", expectMemoryMib, 1, 1 << 24));
        this.expectMemoryMib = expectMemoryMib;
    }

    public Integer getExpectPcieGen() {
        return expectPcieGen;
    }

    @DataBoundSetter
    public void setExpectPcieGen(Integer expectPcieGen) {
        Checks.require(Checks.range("expectPcieGen", expectPcieGen, 1, 6));
        this.expectPcieGen = expectPcieGen;
    }

    public Integer getExpectPcieWidth() {
        return expectPcieWidth;
    }

    @DataBoundSetter
    public void setExpectPcieWidth(Integer expectPcieWidth) {
        Checks.require(Checks.range("expectPcieWidth", expectPcieWidth, 1, 32));
        this.expectPcieWidth = expectPcieWidth;
    }

    public String getExpectDriverMin() {
        return expectDriverMin;
    }

    @DataBoundSetter
    public void setExpectDriverMin(String expectDriverMin) {
        this.expectDriverMin = blankToNull(expectDriverMin);
    }

    public Integer getMaxIdleTemp() {
        return maxIdleTemp;
    }

    @DataBoundSetter
    public void setMaxIdleTemp(Integer maxIdleTemp) {
        Checks.require(Checks.range("maxIdleTemp", maxIdleTemp, 1, 120));
        this.maxIdleTemp = maxIdleTemp;
    }

    public boolean isNoLoad() {
        return noLoad;
    }

    @DataBoundSetter
    public void setNoLoad(boolean noLoad) {
        this.noLoad = noLoad;
    }

    public Integer getLoadSeconds() {
        return loadSeconds;
    }

    @DataBoundSetter
    public void setLoadSeconds(Integer loadSeconds) {
        Checks.require(Checks.range("loadSeconds", loadSeconds, 1, 86400));
        this.loadSeconds = loadSeconds;
    }

    public Integer getLoadWarmup() {
        return loadWarmup;
    }

    @DataBoundSetter
    public void setLoadWarmup(Integer loadWarmup) {
        Checks.require(Checks.range("loadWarmup", loadWarmup, 0, 86400));
        this.loadWarmup = loadWarmup;
    }

    public String getPython() {
        return python;
    }

    @DataBoundSetter
    public void setPython(String python) {
        this.python = blankToNull(python);
    }

    public List<String> getLoadCommand() {
        return loadCommand;
    }

    @DataBoundSetter
    public void setLoadCommand(List<String> loadCommand) {
        this.loadCommand = texts(loadCommand);
    }

    @Override
    protected boolean recorded() {
        return recorded != null;
    }

    @Override
    protected void describe(StageRequest.Builder r, String credentialUser) {
        r.text("recorded", recorded).text("script", script).integer("expectCount", expectCount)
                .text("expectModel", expectModel).integer("expectMemoryMib", expectMemoryMib)
                .integer("expectPcieGen", expectPcieGen).integer("expectPcieWidth", expectPcieWidth)
                .text("expectDriverMin", expectDriverMin).integer("maxIdleTemp", maxIdleTemp).flag("noLoad", noLoad)
                .integer("loadSeconds", loadSeconds).integer("loadWarmup", loadWarmup).text("python", python)
                .list("loadCommand", loadCommand);
    }

    @Extension
    @Symbol(FUNCTION)
    public static class DescriptorImpl extends VaultStepDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "Validate the GPUs against expectations (vault)");
        }

        public FormValidation doCheckExpectCount(@QueryParameter String value) {
            return range("expectCount", value, 1, 64);
        }

        public FormValidation doCheckExpectMemoryMib(@QueryParameter String value) {
            return range("expectMemoryMib", value, 1, 1 << 24);
        }

        public FormValidation doCheckLoadSeconds(@QueryParameter String value) {
            return range("loadSeconds", value, 1, 86400);
        }
    }
}
