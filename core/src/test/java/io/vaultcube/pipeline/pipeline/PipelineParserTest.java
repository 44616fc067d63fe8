package io.vaultcube.pipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.yaml.YamlException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineParserTest {
    static final String HEAD = "schema: vault-pipeline/1\nname: t\nstages:\n";

    static List<YamlException.Problem> problems(String yaml) {
        try {
            PipelineParser.parse(yaml, Path.of("p.yaml"));
        } catch (PipelineFileException e) {
            return e.problems();
        }
        throw new AssertionError("accepted:\n" + yaml);
    }

    @Test
    void readsEveryStageKind() throws Exception {
        PipelineFile p = PipelineParser.parse(HEAD + """
                  - name: packer
                    run: packer-build
                    template: packer/
                    vars: {output_dir: "${evidence}/out", size: 50}
                    sensitive_vars_from_env: {build_password: VAULT_BUILD_PASSWORD}
                    only: qemu.ubuntu
                    on_error: abort
                    timeout: 45m
                  - name: ansible
                    run: provision
                    playbook: site.yml
                    inventory: hosts.ini
                    idempotency_runs: 3
                    extra_vars: {a: "x y"}
                    become: true
                  - {name: gpu, run: gpu-validate, expect_count: 4, expect_model: NVIDIA GeForce RTX 5090}
                  - {name: bench-ddp, run: bench, benchmark: ddp, command: [python3, ddp.py, --nproc, 4], interval: 2s}
                  - {name: stress, run: stress, duration: 24h, interval: 5s, command: [gpu_burn, "86400"]}
                  - {name: gate, run: gate, policy: policies/demo-box.yaml}
                  - {name: promote, run: promote, repo: repo, image: img, version: 1.0, channel: candidate, files: a.qcow2}
                """, Path.of("p.yaml"));
        assertThat(p.stages()).extracting(StageSpec::kind).containsExactly("packer-build", "provision",
                "gpu-validate", "bench", "stress", "gate", "promote");
        StageSpec.PackerBuild packer = (StageSpec.PackerBuild) p.stages().get(0);
        assertThat(packer.vars()).containsEntry("output_dir", "${evidence}/out").containsEntry("size", "50");
        assertThat(packer.only()).containsExactly("qemu.ubuntu");
        assertThat(packer.timeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(packer.line()).isEqualTo(4);
        StageSpec.Provision ansible = (StageSpec.Provision) p.stages().get(1);
        assertThat(ansible.idempotencyRuns()).isEqualTo(3);
        assertThat(ansible.become()).isTrue();
        assertThat(((StageSpec.Stress) p.stages().get(4)).duration()).isEqualTo(Duration.ofHours(24));
        StageSpec.Promote promote = (StageSpec.Promote) p.stages().get(6);
        assertThat(promote.gate()).as("the last gate before it").isEqualTo("gate");
        assertThat(promote.version()).isEqualTo("1.0");
        assertThat(promote.files()).containsExactly("a.qcow2");
    }

    @Test
    void debianPackagesAreReadAndANameThatCouldBeAnAptOptionIsRefused() throws Exception {
        String stage = "  - {name: gate, run: gate, policy: p.yaml}\n";
        PipelineFile p = PipelineParser.parse("schema: vault-pipeline/1\nname: t\n"
                + "debian_packages: [packer, ansible-core, packer, g++]\nstages:\n" + stage, Path.of("p.yaml"));
        assertThat(p.debianPackages()).containsExactly("packer", "ansible-core", "g++");
        assertThat(PipelineParser.parse(HEAD + stage, Path.of("p.yaml")).debianPackages()).isEmpty();

        assertThat(problems("schema: vault-pipeline/1\nname: t\ndebian_packages: [packer, \"-oDebug::pkgProblemResolver=1\","
                + " Packer]\nstages:\n" + stage))
                .extracting(YamlException.Problem::message)
                .containsExactly(
                        "debian_packages: \"-oDebug::pkgProblemResolver=1\" is not a Debian package name (lower-case"
                                + " letters, digits, '+', '-', '.'; two or more, starting with a letter or digit)",
                        "debian_packages: \"Packer\" is not a Debian package name (lower-case letters, digits, '+',"
                                + " '-', '.'; two or more, starting with a letter or digit)");
    }

    @Test
    void anUnknownStageKindIsRejectedWithItsLineAndASuggestion() {
        List<YamlException.Problem> p = problems(HEAD + "  - name: build\n    run: packer-buidl\n    template: x\n");
        assertThat(p).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(5);
            assertThat(x.message()).contains("unknown stage kind 'packer-buidl'", "did you mean 'packer-build'");
        });
    }

    @Test
    void missingRequiredFieldsAreRejectedWithTheirStagesLine() {
        List<YamlException.Problem> p = problems(HEAD + """
                  - name: gate
                    run: gate
                  - name: ansible
                    run: provision
                    playbook: site.yml
                """);
        assertThat(p).extracting(YamlException.Problem::line).containsExactly(4, 6);
        assertThat(p.get(0).message()).isEqualTo("missing key 'policy'");
        assertThat(p.get(1).message()).isEqualTo("missing key 'inventory'");
    }

    @Test
    void everyProblemIsReportedAtOnceBeforeAnythingRuns() {
        List<YamlException.Problem> p = problems("""
                schema: vault-pipeline/2
                name: t
                colour: blue
                stages:
                  - name: Bad Name
                    run: gate
                    policy: p.yaml
                  - name: stress
                    run: stress
                    duration: forever
                    command: [x]
                  - name: stress
                    run: bench
                    benchmark: tensorflo
                    recorded: dir
                    command: [x]
                  - name: promote
                    run: promote
                    gate: nope
                    repo: r
                    image: i
                    version: v
                    files: []
                  - name: ansible
                    run: provision
                    playbook: p
                    inventory: i
                    idempotency_runs: 0
                    becom: true
                """);
        assertThat(p).extracting(YamlException.Problem::line).containsExactly(1, 3, 5, 10, 14, 16, 17, 19, 28, 29);
        assertThat(String.join("\n", p.stream().map(YamlException.Problem::message).toList())).contains(
                "schema must be \"vault-pipeline/1\"", "unknown pipeline key 'colour'", "a stage name is a-z",
                "duration", "benchmark is one of ddp, tensorflow, vllm", "not both",
                "gate 'nope' is not an earlier gate stage", "missing key 'channel'", "idempotency_runs is a whole number",
                "unknown provision stage key 'becom' (did you mean 'become'?)");
    }

    @Test
    void aDuplicateStageNameAndAPromoteWithoutAGateAreRejected() {
        assertThat(problems(HEAD + """
                  - {name: promote, run: promote, repo: r, image: i, version: v, channel: c, files: [f]}
                  - {name: gate, run: gate, policy: p}
                  - {name: gate, run: gate, policy: p}
                """)).extracting(YamlException.Problem::message).containsExactly(
                "a promote stage needs an earlier gate stage: its report decides the promotion",
                "stage name 'gate' is already used by the stage at line 5 (each stage has its own evidence directory)");
    }

    @Test
    void aGateStageWithAProblemIsStillTheGateAPromoteStageNames() {
        String promote = "  - {name: promote, run: promote, gate: gate, repo: r, image: i, version: v, channel: c,"
                + " files: [f]}\n";
        assertThat(problems(HEAD + "  - {name: gate, run: gate}\n" + promote))
                .extracting(YamlException.Problem::message).containsExactly("missing key 'policy'");
        // Without it, the promote stage has nothing to refer to.
        assertThat(problems(HEAD + "  - {name: gate, run: bench}\n" + promote))
                .extracting(YamlException.Problem::message).contains("gate 'gate' is not an earlier gate stage");
    }

    @Test
    void malformedYamlAndEmptyFilesNameTheFile() {
        assertThatThrownBy(() -> PipelineParser.parse("stages: [\n", Path.of("bad.yaml")))
                .isInstanceOf(PipelineFileException.class).hasMessageStartingWith("bad.yaml:");
        assertThatThrownBy(() -> PipelineParser.parse("", Path.of("empty.yaml")))
                .hasMessageContaining("empty.yaml:1: the pipeline file is empty");
        assertThat(problems(HEAD.replace("stages:\n", "stages: []\n"))).extracting(YamlException.Problem::message)
                .containsExactly("stages is empty: a pipeline must run something");
    }

    @Test
    void aFileThatCannotBeReadIsNamed(@TempDir Path tmp) {
        assertThatThrownBy(() -> PipelineParser.load(tmp.resolve("missing.yaml"))).isInstanceOf(PipelineFileException.class)
                .hasMessage(tmp.resolve("missing.yaml") + ": no such pipeline file");
        assertThatThrownBy(() -> PipelineParser.load(tmp)).isInstanceOf(PipelineFileException.class)
                .hasMessageStartingWith(tmp + ": cannot read the pipeline file: ");
    }
}
