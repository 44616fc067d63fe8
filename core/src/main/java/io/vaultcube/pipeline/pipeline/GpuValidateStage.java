package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.gpu.GpuValidateRunner;
import io.vaultcube.pipeline.run.gpu.GpuValidateSettings;
import java.io.IOException;
import java.util.List;

/** {@code run: gpu-validate}: {@code vault gpu-validate}, live or from a recorded collection. */
final class GpuValidateStage extends RunnerStage<StageSpec.GpuValidate> {
    /** The validation script of a live stage that names none. */
    static final String DEFAULT_SCRIPT = "scripts/validate-gpus.sh";

    @Override
    public String id() {
        return "gpu-validate";
    }

    @Override
    public Class<StageSpec.GpuValidate> specType() {
        return StageSpec.GpuValidate.class;
    }

    @Override
    public List<String> keys() {
        return List.of("recorded", "script", "expect_count", "expect_model", "expect_memory_mib");
    }

    @Override
    public StageSpec.GpuValidate read(StageReader in) {
        String recorded = in.text("recorded", false);
        String script = in.text("script", false);
        if (recorded != null && script != null) {
            in.problem("script", "give either recorded (read a saved collection) or script (run it now), not both");
        }
        return new StageSpec.GpuValidate(in.name(), in.line(), recorded, script, in.integer("expect_count", 1, 64),
                in.text("expect_model", false), in.integer("expect_memory_mib", 1, 1 << 24));
    }

    @Override
    public void preflight(StageSpec.GpuValidate g, PreflightChecks checks) {
        checks.directory("recorded GPU collection", g.recorded());
        if (g.recorded() == null) {
            checks.script("script", script(g));
        } else {
            checks.exists("script", g.script(), true);
        }
    }

    private static String script(StageSpec.GpuValidate g) {
        return g.script() == null ? DEFAULT_SCRIPT : g.script();
    }

    @Override
    protected RunResult runInto(StageSpec.GpuValidate g, PipelineRunner.Context context, StageEvidence evidence)
            throws IOException, RunSetupException {
        GpuValidateSettings.Builder b = g.recorded() != null
                ? GpuValidateSettings.recorded(context.path(g.recorded()))
                : GpuValidateSettings.live(context.path(script(g)))
                        .expectCount(g.expectCount()).expectModel(g.expectModel())
                        .expectMemoryMib(g.expectMemoryMib());
        return new GpuValidateRunner(context.processes()).run(b.workingDirectory(context.workDir()).build(),
                context.console().stream(), evidence);
    }
}
