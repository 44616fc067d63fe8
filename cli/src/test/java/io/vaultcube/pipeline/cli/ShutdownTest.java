package io.vaultcube.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the real {@code vault} process ends when the JVM throws an Error or a signal arrives in the
 * middle of work of its own: promptly, with its documented exit status and one line, no stack trace.
 * The guard in {@link VaultProcess#waitFor()} only stops a hung process; no time is asserted.
 */
@org.junit.jupiter.api.Tag("slow") // starts real tools, JVMs, servers or a browser: left out of ./test.sh --fast
class ShutdownTest {
    @TempDir
    Path tmp;

    @Test
    void anOutOfMemoryErrorExitsWithItsOwnCodeAndOneLine() throws Exception {
        // A real input: an evidence directory whose metrics.json is larger than a 32 MiB heap.
        Path stage = Files.createDirectories(tmp.resolve("evidence/huge"));
        try (BufferedWriter w = Files.newBufferedWriter(stage.resolve("metrics.json"), StandardCharsets.UTF_8)) {
            w.write("{\"schema\": \"vault-metrics/1\", \"stage\": \"huge\", \"metrics\": {");
            for (int i = 0; i < 1_200_000; i++) {
                w.write(i == 0 ? "" : ", ");
                w.write("\"huge.m" + i + "\": {\"value\": " + i + ", \"unit\": \"count\"}");
            }
            w.write("}}\n");
        }
        assertThat(Files.size(stage.resolve("metrics.json"))).isGreaterThan(40L << 20);
        int code;
        String out;
        try (VaultProcess vault = VaultProcess.start(tmp.resolve("cwd"), Map.of(), List.of("-Xmx32m", "-XX:+UseSerialGC"),
                "metrics", tmp.resolve("evidence").toString())) {
            code = vault.waitFor();
            out = vault.output();
        }
        assertThat(code).as(out).isEqualTo(ExitCodes.RESOURCES);
        assertThat(out).contains("vault: out of memory", "-Xmx").doesNotContain("\tat ", "Exception", "OutOfMemoryError");
        assertThat(out.strip().lines()).as(out).hasSize(1);
    }

    @Test
    void sigtermWhileHashingABigFileStopsTheWorkAndExits130() throws Exception {
        // Sparse: 1 TiB of holes costs no disk, and hashing it takes far longer than any test.
        Path big = tmp.resolve("big.img");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(1L << 40);
        }
        int code;
        String out;
        try (VaultProcess vault = VaultProcess.start(tmp.resolve("cwd"), Map.of(), "checksum", "--progress",
                big.toString())) {
            vault.waitForOutput(" of 1.0 TiB");
            vault.terminate();
            code = vault.waitFor();
            out = vault.output();
        }
        assertThat(code).as(out).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(out).contains("interrupted").doesNotContain("\tat ", "Exception");
    }

    @Test
    void sigtermWhileAPolicyPatternRunsOverLongValuesStopsTheGateItself() throws Exception {
        // CPU-bound work of vault's own that reads no file: a pattern that backtracks, over 200 long
        // values, each stopped only by the regex step bound (seconds each, minutes in all).
        Path stage = Files.createDirectories(tmp.resolve("evidence/gpu"));
        try (BufferedWriter w = Files.newBufferedWriter(stage.resolve("metrics.json"), StandardCharsets.UTF_8)) {
            w.write("{\"schema\": \"vault-metrics/1\", \"stage\": \"gpu\", \"metrics\": {");
            String value = "a".repeat(20_000) + "!";
            for (int i = 0; i < 200; i++) {
                w.write((i == 0 ? "" : ", ") + "\"gpu[" + i + "].name\": {\"value\": \"" + value + "\"}");
            }
            w.write("}}\n");
        }
        Path policy = tmp.resolve("policy.yaml");
        Files.writeString(policy, "schema: vault-policy/1\nname: backtracking\ngates:\n"
                + "  - id: gpu-model\n    metric: gpu[*].name\n    matches: \"(.*a){20}\"\n");
        Path report = tmp.resolve("report.json");
        int code;
        String out;
        try (VaultProcess vault = VaultProcess.start(tmp.resolve("cwd"), Map.of(), "gate", "--policy",
                policy.toString(), "--evidence", tmp.resolve("evidence").toString(), "--json", report.toString())) {
            vault.waitForMainThreadIn("java.util.regex.Pattern$Loop.match");
            vault.terminate();
            code = vault.waitFor();
            out = vault.output();
        }
        assertThat(code).as(out).isEqualTo(ExitCodes.INTERRUPTED);
        // The gate's own line: the evaluation saw the interrupt (not the shutdown hook's cut-off,
        // "vault: interrupted", which ends work that never looks).
        assertThat(out).contains("vault gate: interrupted").doesNotContain("vault: interrupted", "\tat ", "Exception");
        assertThat(report).as("no verdict is written for an evaluation that did not end").doesNotExist();
    }
}
