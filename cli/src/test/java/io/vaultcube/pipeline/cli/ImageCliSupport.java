package io.vaultcube.pipeline.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
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
     * A gate report as docs/policy.md (Reports) describes it. Synthetic: vault gate is
     * written on another branch.
     */
    static Path gateReport(Path file, String verdict, String gateStatus) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, """
                {"schema": "vault-gate-report/1", "verdict": "%s",
                 "policy": {"file": "policies/demo-box.yaml", "name": "demo-box", "sha256": null},
                 "evidence": "/evidence", "baseline": null, "evaluated": "2026-11-28T10:00:00Z",
                 "gates": [{"id": "gpu-count", "metric": "gpu.count", "entity": null, "condition": "min 4",
                            "observed": 4, "baseline": null, "status": "%s", "severity": "unstable",
                            "message": "", "source": "gpu/q.csv:2", "description": ""}]}
                """.formatted(verdict, gateStatus));
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
