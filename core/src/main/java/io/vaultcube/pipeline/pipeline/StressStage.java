package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.stress.StressRunner;
import io.vaultcube.pipeline.run.stress.StressSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** {@code run: stress}: {@code vault stress}, live or from a recorded stage. */
final class StressStage extends RunnerStage<StageSpec.Stress> {
    /** The telemetry sampler of a live stage (stress or bench) that names none. */
    static final String DEFAULT_SAMPLER = "scripts/sample-telemetry.sh";

    @Override
    public String id() {
        return "stress";
    }

    @Override
    public Class<StageSpec.Stress> specType() {
        return StageSpec.Stress.class;
    }

    @Override
    public List<String> keys() {
        return List.of("recorded", "duration", "interval", "command", "sampler");
    }

    @Override
    public StageSpec.Stress read(StageReader in) {
        String recorded = in.text("recorded", false);
        List<String> command = in.textListOrNull("command");
        in.liveOrRecorded(recorded, command);
        return new StageSpec.Stress(in.name(), in.line(), recorded, in.duration("duration", true),
                in.duration("interval", false), command == null ? List.of() : command, in.text("sampler", false));
    }

    /** The sampler a live stage uses. */
    static String sampler(String written) {
        return written == null ? DEFAULT_SAMPLER : written;
    }

    @Override
    public void preflight(StageSpec.Stress s, PreflightChecks checks) {
        checks.directory("recorded soak", s.recorded());
        if (s.recorded() == null) {
            checks.command("workload", s.command());
            checks.script("sampler", sampler(s.sampler()));
        } else {
            checks.exists("sampler", s.sampler(), true);
        }
    }

    @Override
    protected RunResult runInto(StageSpec.Stress s, PipelineRunner.Context context, StageEvidence evidence)
            throws IOException, RunSetupException {
        Duration interval = s.interval() == null ? StressSettings.DEFAULT_INTERVAL : s.interval();
        StressRunner runner = new StressRunner(context.processes());
        if (s.recorded() != null) {
            return runner.replay(s.duration(), interval, context.path(s.recorded()), context.console().stream(),
                    evidence);
        }
        StressSettings settings = StressSettings.builder(context.substitute(s.command()), s.duration(),
                context.path(sampler(s.sampler()))).interval(interval).stageName(s.name())
                .workingDirectory(context.workDir()).build();
        return runner.run(settings, context.console().stream(), evidence);
    }
}
