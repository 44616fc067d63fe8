package io.vaultcube.pipeline.evidence;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a stage did, kept as {@code stage.json} beside its raw output and metrics.
 *
 * @param stage the stage name (its directory's name)
 * @param status how it ended
 * @param started when it started
 * @param ended when it ended
 * @param commands the commands it ran, as displayed (secrets masked), with their exit status
 * @param messages what a person should know: why it failed, what is missing
 * @param recordedFrom where the evidence came from when it was not measured now, else null
 */
public record StageRecord(
        String stage,
        StageStatus status,
        Instant started,
        Instant ended,
        List<Command> commands,
        List<String> messages,
        String recordedFrom) {

    public StageRecord {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(status, "status");
        commands = commands == null ? List.of() : List.copyOf(commands);
        messages = messages == null ? List.of() : List.copyOf(messages);
    }

    /**
     * One command a stage ran.
     *
     * @param commandLine as displayed, secrets masked
     * @param exitCode the exit status
     * @param outcome EXITED, CANCELLED or TIMED_OUT
     * @param durationMillis how long it ran
     */
    public record Command(String commandLine, int exitCode, String outcome, long durationMillis) {
    }
}
