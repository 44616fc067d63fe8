package io.vaultcube.pipeline.cli;

import static io.vaultcube.pipeline.cli.MainTest.vault;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The messages of vault pipeline run and check; what a pipeline does is tested in core. */
class PipelineCommandTest {
    @TempDir
    Path tmp;

    @Test
    void errorsNameTheWholeCommand() {
        String missing = tmp.resolve("missing.yaml").toString();
        MainTest.Run check = vault("pipeline", "check", missing);
        assertThat(check.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(check.err()).isEqualTo("vault pipeline check: " + missing + ": no such pipeline file\n");
        MainTest.Run run = vault("pipeline", "run", missing);
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("vault pipeline run: " + missing);
    }

    @Test
    void aDirectoryGivenAsTheFileIsNamed() {
        MainTest.Run check = vault("pipeline", "check", tmp.toString());
        assertThat(check.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(check.err())
                .isEqualTo("vault pipeline check: " + tmp + ": cannot read the pipeline file: Is a directory\n");
    }

    @Test
    void anAliasIsRefusedWithItsLineNotPublishedAsItsName() throws Exception {
        // The review's pipeline: "*ver" and "*chans" were read as the text "ver" and "chans" and
        // "pipeline check" called the file valid.
        Path file = tmp.resolve("p.yaml");
        java.nio.file.Files.writeString(file, """
                schema: vault-pipeline/1
                name: t
                stages:
                  - name: publish
                    run: promote
                    version: *ver
                    channels: [*chans]
                """);
        MainTest.Run check = vault("pipeline", "check", file.toString());
        assertThat(check.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(check.err()).isEqualTo("vault pipeline check: " + file
                + ":6:14: YAML aliases (*ver) are not supported in a pipeline file; write the value out\n");
    }

    @Test
    void withNoInstallAMissingPackageIsNamedAndThePreflightStillRuns() throws Exception {
        // Installing for real is tested in core (DebianPackagesTest, with stand-ins): a test never
        // installs packages on the machine that runs it.
        Path file = tmp.resolve("p.yaml");
        java.nio.file.Files.writeString(file, """
                schema: vault-pipeline/1
                name: t
                debian_packages: [dpkg, vault-no-such-package]
                stages:
                  - {name: gate, run: gate, policy: no-such-policy.yaml}
                """);
        MainTest.Run run = vault("pipeline", "run", "--no-install", file.toString());
        assertThat(run.out()).startsWith("vault: not installing the Debian packages vault-no-such-package"
                + " (--no-install); the preflight checks the tools the stages run\n");
        assertThat(run.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("no-such-policy.yaml does not exist");
    }
}
