package io.vaultcube.jenkins.model;

import hudson.FilePath;
import io.vaultcube.jenkins.agent.GateCallable;
import io.vaultcube.jenkins.testing.TestListener;
import io.vaultcube.pipeline.pipeline.PipelineParser;
import io.vaultcube.pipeline.pipeline.PipelineRunner;
import java.io.OutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A build's workspace whose gpu, bench-ddp, bench-vllm and stress stages read the demo box's
 * recorded evidence (examples/evidence/demo-box-stand-in, see its SOURCE.md: a labelled stand-in, not a
 * capture) through the core's pipeline runner, as examples/demo/pipeline.yaml does, then judged by the
 * demo policy (policies/demo-box.yaml) through the plugin's gate callable: the packer and ansible stages
 * are missing, so the verdict is FAILURE with failing gates; the GPU table has four GPUs.
 */
final class GateFixture {
    static final Path STAND_IN = Path.of("../examples/evidence/demo-box-stand-in").toAbsolutePath().normalize();
    static final Path POLICY = Path.of("../policies/demo-box.yaml").toAbsolutePath().normalize();
    static final String EVIDENCE = "vault-runs/build-1";

    private GateFixture() {
    }

    /** Copies the evidence into {@code ws}, marks the gpu stage recorded, runs the gate; returns its outcome. */
    static GateCallable.Outcome judged(Path ws) throws Exception {
        Files.createDirectories(ws);
        Files.copy(POLICY, ws.resolve("policy.yaml"));
        Path pipeline = ws.resolve("pipeline.yaml");
        Files.writeString(pipeline, "schema: vault-pipeline/1\nname: recorded\nstages:\n"
                + "  - name: gpu\n    run: gpu-validate\n    recorded: " + STAND_IN.resolve("gpu") + "\n"
                + "  - name: bench-ddp\n    run: bench\n    benchmark: ddp\n    recorded: " + STAND_IN.resolve("bench-ddp")
                + "\n    interval: 1s\n"
                + "  - name: bench-vllm\n    run: bench\n    benchmark: vllm\n    recorded: "
                + STAND_IN.resolve("bench-vllm") + "\n    interval: 1s\n"
                + "  - name: stress\n    run: stress\n    recorded: " + STAND_IN.resolve("stress")
                + "\n    duration: 24h\n    interval: 30s\n");
        new PipelineRunner().run(PipelineParser.load(pipeline), ws, ws.resolve(EVIDENCE), OutputStream.nullOutputStream());
        return new FilePath(ws.toFile()).act(new GateCallable("policy.yaml", null, EVIDENCE, "gate", new TestListener()));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            all.forEach(p -> {
                try {
                    Path t = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
