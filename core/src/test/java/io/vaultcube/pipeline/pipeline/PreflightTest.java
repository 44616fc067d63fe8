package io.vaultcube.pipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.yaml.YamlException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools a pipeline needs are checked before its first stage runs: a missing packer is found
 * now, not after the stages before it ran (issue 18). PATH is a directory of this test's own, so
 * that what is "installed" is decided here, not by the machine.
 */
class PreflightTest {
    @TempDir
    Path work;

    private PipelineFile pipeline(String stages) throws Exception {
        Files.writeString(work.resolve("t.pkr.hcl"), "source \"file\" \"x\" {}\n");
        Files.writeString(work.resolve("site.yml"), "- hosts: all\n");
        Files.writeString(work.resolve("inventory.ini"), "localhost\n");
        Path file = Files.writeString(work.resolve("pipeline.yaml"), """
                schema: vault-pipeline/1
                name: t
                stages:
                """ + stages);
        return PipelineParser.load(file);
    }

    /** A directory holding executables of these names (each a real script that exits 0). */
    private Path pathWith(String... programs) throws Exception {
        Path bin = Files.createDirectories(work.resolve("bin"));
        for (String p : programs) {
            Path f = bin.resolve(p);
            Files.writeString(f, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    @Test
    void aMissingPackerAndAnsibleAreNamedWithTheirStageAndDebianPackage() throws Exception {
        PipelineFile p = pipeline("""
                  - {name: image, run: packer-build, template: t.pkr.hcl}
                  - {name: os, run: provision, playbook: site.yml, inventory: inventory.ini}
                """);
        Map<String, String> env = Map.of("PATH", pathWith().toString());
        assertThatThrownBy(() -> Preflight.check(p, work, env)).isInstanceOf(PipelineFileException.class)
                .satisfies(e -> assertThat(((PipelineFileException) e).problems())
                        .extracting(YamlException.Problem::line).containsExactly(4, 5))
                .hasMessageContaining("stage image (packer-build) needs packer, which is not installed")
                .hasMessageContaining("apt-get install packer")
                .hasMessageContaining("stage os (provision) needs ansible-playbook, which is not installed")
                .hasMessageContaining("apt-get install ansible-core");
    }

    @Test
    void toolsOnPathPass() throws Exception {
        PipelineFile p = pipeline("""
                  - {name: image, run: packer-build, template: t.pkr.hcl}
                  - {name: os, run: provision, playbook: site.yml, inventory: inventory.ini}
                """);
        Preflight.check(p, work, Map.of("PATH", pathWith("packer", "ansible-playbook").toString()));
    }

    @Test
    void aLiveScriptNeedsItsInterpreterAndTheDefaultSampler() throws Exception {
        Path scripts = Files.createDirectories(work.resolve("scripts"));
        Path sampler = Files.writeString(scripts.resolve("sample-telemetry.sh"), "#!/usr/bin/env bash\nexit 0\n");
        Files.setPosixFilePermissions(sampler, PosixFilePermissions.fromString("rwxr-xr-x"));
        PipelineFile p = pipeline("""
                  - {name: soak, run: stress, duration: 1m, command: [stress-gpus, --all]}
                  - {name: ddp, run: bench, benchmark: ddp, command: [scripts/missing.py]}
                """);
        Map<String, String> env = Map.of("PATH", pathWith().toString());
        assertThatThrownBy(() -> Preflight.check(p, work, env)).isInstanceOf(PipelineFileException.class)
                .hasMessageContaining("stage soak (stress) needs stress-gpus, which is not installed")
                .hasMessageContaining("stage soak (stress) needs bash, which is not installed (not found on PATH);"
                        + " install it: apt-get install bash")
                .hasMessageContaining("the benchmark command scripts/missing.py does not exist");
    }

    @Test
    void theInterpreterOfAScriptIsReadFromItsFirstLine() throws Exception {
        assertThat(PreflightChecks.interpreter(Files.writeString(work.resolve("a"), "#!/usr/bin/env bash\n")))
                .contains("bash");
        assertThat(PreflightChecks.interpreter(Files.writeString(work.resolve("b"), "#!/usr/bin/env -S python3 -u\n")))
                .contains("python3");
        assertThat(PreflightChecks.interpreter(Files.writeString(work.resolve("c"), "#!/bin/sh -e\n")))
                .contains("/bin/sh");
        assertThat(PreflightChecks.interpreter(Files.writeString(work.resolve("d"), "echo no\n"))).isEmpty();
    }
}
