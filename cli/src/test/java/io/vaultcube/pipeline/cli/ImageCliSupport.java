package io.vaultcube.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import picocli.CommandLine;

/** Runs vault in-process and writes the files the image command tests need. */
final class ImageCliSupport {
    private ImageCliSupport() {
    }

    record Run(int code, String out, String err) {
    }

    static Run vault(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Path randomFile(Path file, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    /**
     * A gate report as docs/policy.md (Reports) describes it, bound to a SYNTHETIC evidence directory
     * written beside it (one stage, gpu, with its stage.json and metrics.json), as vault gate --json
     * binds a report to the evidence it judged. One gate passed, one has the given status.
     */
    static Path gateReport(Path file, String verdict, String gateStatus) throws IOException {
        Files.createDirectories(file.getParent());
        Path evidence = Files.createDirectories(file.resolveSibling(file.getFileName() + ".evidence/gpu"))
                .getParent();
        byte[] record = "{\"stage\": \"gpu\", \"status\": \"SUCCEEDED\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] metrics = "{\"gpu.count\": 4}\n".getBytes(StandardCharsets.UTF_8);
        Files.write(evidence.resolve("gpu/stage.json"), record);
        Files.write(evidence.resolve("gpu/metrics.json"), metrics);
        String recordSum = sha256(record);
        String metricsSum = sha256(metrics);
        String digest = sha256((recordSum + "  gpu/stage.json\n" + metricsSum + "  gpu/metrics.json\n")
                .getBytes(StandardCharsets.UTF_8));
        return Files.writeString(file, """
                {"schema": "vault-gate-report/1", "verdict": "%s",
                 "policy": {"file": "policies/demo-box.yaml", "name": "demo-box", "sha256": null},
                 "evidence": "%s", "baseline": null, "evaluated": "2026-11-28T10:00:00Z",
                 "binding": {"evidenceSha256": "%s", "evidenceFiles": [
                   {"path": "gpu/stage.json", "sha256": "%s"}, {"path": "gpu/metrics.json", "sha256": "%s"}]},
                 "gates": [{"id": "gpu-count", "metric": "gpu.count", "entity": null, "condition": "min 4",
                            "observed": 4, "baseline": null, "status": "%s", "severity": "unstable",
                            "message": "", "source": "gpu/q.csv:2", "description": ""},
                           {"id": "gpu-present", "metric": "gpu.count", "entity": null, "condition": "min 1",
                            "observed": 4, "baseline": null, "status": "PASSED", "severity": "failure",
                            "message": "", "source": "gpu/q.csv:2", "description": ""}]}
                """.formatted(verdict, evidence.toAbsolutePath(), digest, recordSum, metricsSum, gateStatus));
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a real tool (argv, no shell) and returns its exit status, stdout and stderr. */
    static Run tool(Path dir, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).directory(dir == null ? null : dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException e) {
                // Gone.
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int code = p.waitFor();
        t.join();
        return new Run(code, out, err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
