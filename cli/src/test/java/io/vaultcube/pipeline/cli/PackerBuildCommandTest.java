package io.vaultcube.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.StageStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code vault packer-build} with Debian's real packer 1.6.6 (./test.sh installs it). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class PackerBuildCommandTest {
    /** Synthetic test template: a file artifact whose content is a variable, written where it runs. */
    static final String TEMPLATE = """
            variable "content" {
              type = string
            }
            variable "password" {
              type      = string
              sensitive = true
              default   = "cli-Pa55word"
            }
            source "file" "art" {
              content = var.content
              target  = "%s"
            }
            build {
              sources = ["source.file.art"]
              provisioner "shell-local" {
                inline = ["echo password is ${var.password}"]
              }
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void buildsShowsPackersTextAndTellsWhereTheEvidenceIs() throws Exception {
        Path artifact = tmp.resolve("artifact.txt");
        Path template = Files.writeString(tmp.resolve("t.pkr.hcl"), TEMPLATE.formatted(artifact));
        Path evidence = tmp.resolve("evidence");
        MainTest.Run run = MainTest.vault("packer-build", template.toString(), "--var", "content=a, b=c",
                "--evidence", evidence.toString());

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(artifact).hasContent("a, b=c");
        assertThat(run.out()).contains("    file.art: password is ****", "--> file.art: Stored file: " + artifact)
                .contains("vault packer-build: SUCCEEDED").contains("evidence: " + evidence.resolve("packer"))
                .doesNotContain("cli-Pa55word");
        assertThat(EvidenceDir.open(evidence).stage("packer").readRecord().status()).isEqualTo(StageStatus.SUCCEEDED);
        assertThat(EvidenceDir.open(evidence).readAllMetrics().values()).containsEntry("packer.artifacts", 1L);
    }

    @Test
    void anOnlyThatMatchesNothingExitsOne() throws Exception {
        Path template = Files.writeString(tmp.resolve("t.pkr.hcl"), TEMPLATE.formatted(tmp.resolve("a.txt")));
        MainTest.Run run = MainTest.vault("packer-build", template.toString(), "--var", "content=x", "--only",
                "null.nothing", "--evidence", tmp.resolve("ev").toString());
        assertThat(run.code()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.out()).contains("-only=null.nothing matched no build").contains("FAILED");
    }

    @Test
    void badUsageExitsTwoWithAClearMessage() throws Exception {
        MainTest.Run missing = MainTest.vault("packer-build", tmp.resolve("none.pkr.hcl").toString(), "--evidence",
                tmp.resolve("ev").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("no Packer template at");

        Path template = Files.writeString(tmp.resolve("t.pkr.hcl"), TEMPLATE.formatted(tmp.resolve("a.txt")));
        MainTest.Run noEquals = MainTest.vault("packer-build", template.toString(), "--sensitive-var", "hunter2secret");
        assertThat(noEquals.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noEquals.err()).contains("--sensitive-var expects NAME=VALUE").doesNotContain("hunter2secret");

        MainTest.Run onError = MainTest.vault("packer-build", template.toString(), "--on-error", "explode");
        assertThat(onError.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(onError.err()).contains("--on-error must be cleanup, abort, ask");

        MainTest.Run both = MainTest.vault("packer-build", template.toString(), "--only", "a", "--except", "b");
        assertThat(both.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("only and except cannot be used together");
    }
}
