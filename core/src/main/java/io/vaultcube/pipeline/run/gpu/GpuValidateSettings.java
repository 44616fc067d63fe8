package io.vaultcube.pipeline.run.gpu;

import io.vaultcube.pipeline.run.ProcessControl;
import io.vaultcube.pipeline.run.StageSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything one GPU validation needs. Either a live run of {@code scripts/validate-gpus.sh}
 * ({@link #live(Path)}) or the files of a recorded collection ({@link #recorded(Path)}). Immutable.
 *
 * <p>The expected count, model and memory are checked by the runner on the parsed metrics (in both
 * modes) and passed to the script; the other expectations and the load options are the script's
 * (live runs only).
 *
 * @param scriptPath {@code validate-gpus.sh} for a live run, or null with {@code recordedFrom}
 * @param recordedFromPath a directory of a recorded collection (the script's {@code --evidence} output, or a
 *     {@code gpu} stage of another evidence directory), or null for a live run
 * @param expectCount GPUs expected from nvidia-smi and lspci, or null
 * @param expectModel the exact name of every GPU, or null
 * @param expectMemoryMib the minimum memory.total of every GPU, or null
 * @param expectPcieGen the minimum PCIe generation under load and of pcie.link.gen.max (script), or null
 * @param expectPcieWidth the minimum PCIe width under load and of pcie.link.width.max (script), or null
 * @param expectDriverMin the minimum driver version (script), or null
 * @param maxIdleTempC the maximum idle temperature (script), or null
 * @param noLoad run no load: the PCIe link under load is not measured (script)
 * @param loadSeconds seconds of telemetry during the load (script), or null for its default
 * @param loadWarmupSeconds seconds of load before sampling (script), or null for its default
 * @param python the Python with torch for the default load (script), or null for its default
 * @param loadCommand a load command instead of stress-gpus.py (script), empty for the default
 * @param process where the script runs, its environment, the time limit of the whole collection
 *     (each command of the script is stopped after 180 s by the script itself), how long the script
 *     has after SIGINT to stop its load, and values to mask
*
 * <p>Serializable (a Jenkins step sends it to the agent that runs the validation): paths are held as text,
 * since {@link Path} is not serializable, and deserializing runs the checks again.
 */
public record GpuValidateSettings(
        String scriptPath,
        String recordedFromPath,
        Integer expectCount,
        String expectModel,
        Integer expectMemoryMib,
        Integer expectPcieGen,
        Integer expectPcieWidth,
        String expectDriverMin,
        Integer maxIdleTempC,
        boolean noLoad,
        Integer loadSeconds,
        Integer loadWarmupSeconds,
        String python,
        List<String> loadCommand,
        ProcessControl process) implements StageSettings {

    public static final Duration DEFAULT_INTERRUPT_GRACE = Duration.ofSeconds(30);

    public GpuValidateSettings {
        if ((scriptPath == null) == (recordedFromPath == null)) {
            throw new IllegalArgumentException("give the validation script for a live run or a recorded collection,"
                    + " not both or neither");
        }
        loadCommand = List.copyOf(loadCommand == null ? List.of() : loadCommand);
        if (recordedFromPath != null && (expectPcieGen != null || expectPcieWidth != null || expectDriverMin != null
                || maxIdleTempC != null || noLoad || loadSeconds != null || loadWarmupSeconds != null
                || python != null || !loadCommand.isEmpty())) {
            throw new IllegalArgumentException("the PCIe, driver, idle temperature and load options apply to a live"
                    + " run of validate-gpus.sh, not to a recorded collection (--from)");
        }
        if (noLoad && !loadCommand.isEmpty()) {
            throw new IllegalArgumentException("no load and a load command exclude each other");
        }
        positive(expectCount, "the expected GPU count", true);
        positive(expectMemoryMib, "the expected memory", false);
        positive(expectPcieGen, "the expected PCIe generation", false);
        positive(expectPcieWidth, "the expected PCIe width", false);
        positive(loadSeconds, "the load seconds", false);
        positive(loadWarmupSeconds, "the load warm-up seconds", true);
        positive(maxIdleTempC, "the maximum idle temperature", true);
        if (expectModel != null && expectModel.isBlank()) {
            throw new IllegalArgumentException("the expected model must not be blank");
        }
        if (expectDriverMin != null && !expectDriverMin.matches("\\d+(\\.\\d+)*")) {
            throw new IllegalArgumentException("the minimum driver version must look like 570 or 570.124.06, not '"
                    + expectDriverMin + "'");
        }
        Objects.requireNonNull(process, "process");
    }

    /** {@link #scriptPath()} as a path, or null. */
    public Path script() {
        return StageSettings.path(scriptPath);
    }

    /** {@link #recordedFromPath()} as a path, or null. */
    public Path recordedFrom() {
        return StageSettings.path(recordedFromPath);
    }

    private static void positive(Integer value, String what, boolean zeroAllowed) {
        if (value != null && (value < 0 || (!zeroAllowed && value == 0))) {
            throw new IllegalArgumentException(what + " must be " + (zeroAllowed ? "0 or more" : "at least 1")
                    + ", not " + value);
        }
    }

    public boolean isRecorded() {
        return recordedFromPath != null;
    }

    /** The stage a GPU validation writes. */
    @Override
    public String stageName() {
        return GpuValidateRunner.STAGE;
    }

    /** A live run of the validation script. */
    public static Builder live(Path script) {
        return new Builder(Objects.requireNonNull(script, "script"), null);
    }

    /** The files of a recorded collection. */
    public static Builder recorded(Path directory) {
        return new Builder(null, Objects.requireNonNull(directory, "directory"));
    }

    /** Builds {@link GpuValidateSettings}. */
    public static final class Builder extends ProcessControl.Builder<Builder> {
        private final Path script;
        private final Path recordedFrom;
        private Integer expectCount;
        private String expectModel;
        private Integer expectMemoryMib;
        private Integer expectPcieGen;
        private Integer expectPcieWidth;
        private String expectDriverMin;
        private Integer maxIdleTempC;
        private boolean noLoad;
        private Integer loadSeconds;
        private Integer loadWarmupSeconds;
        private String python;
        private final List<String> loadCommand = new ArrayList<>();

        private Builder(Path script, Path recordedFrom) {
            super(DEFAULT_INTERRUPT_GRACE);
            this.script = script;
            this.recordedFrom = recordedFrom;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder expectCount(Integer value) {
            this.expectCount = value;
            return this;
        }

        public Builder expectModel(String value) {
            this.expectModel = value;
            return this;
        }

        public Builder expectMemoryMib(Integer value) {
            this.expectMemoryMib = value;
            return this;
        }

        public Builder expectPcieGen(Integer value) {
            this.expectPcieGen = value;
            return this;
        }

        public Builder expectPcieWidth(Integer value) {
            this.expectPcieWidth = value;
            return this;
        }

        public Builder expectDriverMin(String value) {
            this.expectDriverMin = value;
            return this;
        }

        public Builder maxIdleTempC(Integer value) {
            this.maxIdleTempC = value;
            return this;
        }

        public Builder noLoad(boolean value) {
            this.noLoad = value;
            return this;
        }

        public Builder loadSeconds(Integer value) {
            this.loadSeconds = value;
            return this;
        }

        public Builder loadWarmupSeconds(Integer value) {
            this.loadWarmupSeconds = value;
            return this;
        }

        public Builder python(String value) {
            this.python = value;
            return this;
        }

        public Builder loadCommand(List<String> argv) {
            loadCommand.clear();
            loadCommand.addAll(argv);
            return this;
        }

        public GpuValidateSettings build() {
            return new GpuValidateSettings(StageSettings.text(script), StageSettings.text(recordedFrom), expectCount, expectModel, expectMemoryMib,
                    expectPcieGen, expectPcieWidth, expectDriverMin, maxIdleTempC, noLoad, loadSeconds,
                    loadWarmupSeconds, python, loadCommand, processControl());
        }
    }
}
