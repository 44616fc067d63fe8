package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.bench.BenchKind;
import io.vaultcube.pipeline.run.bench.BenchRunner;
import io.vaultcube.pipeline.run.bench.BenchSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code run: bench}: {@code vault bench}, live or from a recorded stage. */
final class BenchStage extends RunnerStage<StageSpec.Bench> {
    private static final Set<String> BENCHMARKS = Set.of("ddp", "tensorflow", "vllm");

    @Override
    public String id() {
        return "bench";
    }

    @Override
    public Class<StageSpec.Bench> specType() {
        return StageSpec.Bench.class;
    }

    @Override
    public List<String> keys() {
        return List.of("benchmark", "recorded", "command", "interval", "sampler", "timeout");
    }

    @Override
    public StageSpec.Bench read(StageReader in) {
        String benchmark = in.text("benchmark", true);
        if (benchmark != null && !BENCHMARKS.contains(benchmark)) {
            in.problem("benchmark", "benchmark is one of ddp, tensorflow, vllm, found \"" + benchmark + "\"");
        }
        String recorded = in.text("recorded", false);
        List<String> command = in.textListOrNull("command");
        in.liveOrRecorded(recorded, command);
        return new StageSpec.Bench(in.name(), in.line(), benchmark, recorded, command == null ? List.of() : command,
                in.duration("interval", false), in.text("sampler", false), in.duration("timeout", false));
    }

    @Override
    public void preflight(StageSpec.Bench b, PreflightChecks checks) {
        checks.directory("recorded benchmark", b.recorded());
        if (b.recorded() == null) {
            checks.command("benchmark command", b.command());
            // As before the registry: a bench stage's default sampler is looked for when it runs.
            checks.script("sampler", b.sampler());
        } else {
            checks.exists("sampler", b.sampler(), true);
        }
    }

    @Override
    protected RunResult runInto(StageSpec.Bench b, PipelineRunner.Context context, StageEvidence evidence)
            throws IOException, RunSetupException {
        BenchKind kind = BenchKind.of(b.benchmark());
        Duration interval = b.interval() == null ? BenchSettings.DEFAULT_INTERVAL : b.interval();
        BenchRunner runner = new BenchRunner(context.processes());
        if (b.recorded() != null) {
            return runner.replay(kind, interval, context.path(b.recorded()), context.console().stream(), evidence);
        }
        BenchSettings settings = BenchSettings.builder(kind, context.substitute(b.command()))
                .interval(interval).stageName(b.name()).workingDirectory(context.workDir()).timeout(b.timeout())
                .sampler(context.path(StressStage.sampler(b.sampler()))).build();
        return runner.run(settings, context.console().stream(), evidence);
    }
}
