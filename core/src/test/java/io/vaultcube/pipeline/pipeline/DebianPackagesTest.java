package io.vaultcube.pipeline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The main job's set-up of a fresh machine. Which packages are missing is asked of the real
 * dpkg-query; installing is tested with SYNTHETIC stand-ins for apt-get, sudo and dpkg-query (shell
 * scripts written below that record their arguments), since a test must not install packages on the
 * machine that runs it.
 */
class DebianPackagesTest {
    @TempDir
    Path tmp;

    @Test
    void theRealDpkgQuerySaysWhichPackagesAreMissing() throws IOException {
        DebianPackages packages = new DebianPackages(System.getenv(), 1000);
        assertThat(packages.missing(List.of("dpkg", "vault-no-such-package", "coreutils")))
                .containsExactly("vault-no-such-package");
        assertThat(packages.missing(List.of())).isEmpty();
    }

    @Test
    void asRootItInstallsWithAptGetAndChecksTheResult() throws Exception {
        Path bin = stubs(false);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DebianPackages packages = new DebianPackages(Map.of("PATH", bin.toString()), 0);
        assertThat(packages.missing(List.of("packer", "ansible-core"))).containsExactly("packer", "ansible-core");

        packages.install(List.of("packer", "ansible-core"), new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(Files.readAllLines(tmp.resolve("calls"))).containsExactly(
                "apt-get install -y --no-install-recommends packer ansible-core DEBIAN_FRONTEND=noninteractive");
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("vault: installing the Debian packages packer, ansible-core with apt-get (as root)")
                .contains("apt says: installing");
        assertThat(packages.missing(List.of("packer", "ansible-core"))).isEmpty();
    }

    @Test
    void asAUserItGoesThroughSudoWithoutAPrompt() throws Exception {
        Path bin = stubs(true);
        DebianPackages packages = new DebianPackages(Map.of("PATH", bin.toString()), 1000);
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        packages.install(List.of("packer"), new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(Files.readAllLines(tmp.resolve("calls"))).containsExactly(
                "sudo -n true",
                "sudo -n DEBIAN_FRONTEND=noninteractive " + bin.resolve("apt-get")
                        + " install -y --no-install-recommends packer",
                "apt-get install -y --no-install-recommends packer DEBIAN_FRONTEND=noninteractive");
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("with apt-get (through sudo)");
    }

    @Test
    void aUserWithoutSudoIsToldWhatToRun() throws Exception {
        Path bin = stubs(false);
        DebianPackages packages = new DebianPackages(Map.of("PATH", bin.toString()), 1000);
        assertThatThrownBy(() -> packages.install(List.of("packer", "git"), System.out))
                .isInstanceOf(DebianPackages.CannotInstall.class)
                .hasMessage("vault runs as a user (uid 1000), not root, and sudo is not installed; install them"
                        + " yourself (sudo apt-get install packer git) and run again");
        assertThat(tmp.resolve("calls")).doesNotExist();
    }

    @Test
    void aSudoThatAsksForAPasswordIsNeverPromptedFor() throws Exception {
        Path bin = stubs(true);
        Files.writeString(tmp.resolve("sudo-needs-password"), "");
        DebianPackages packages = new DebianPackages(Map.of("PATH", bin.toString()), 1000);
        assertThatThrownBy(() -> packages.install(List.of("packer"), System.out))
                .isInstanceOf(DebianPackages.CannotInstall.class)
                .hasMessageContaining("sudo asks for a password (vault never prompts for one)")
                .hasMessageEndingWith("(sudo apt-get install packer) and run again");
        assertThat(Files.readAllLines(tmp.resolve("calls"))).containsExactly("sudo -n true");
    }

    @Test
    void anAptGetThatFailsIsRetriedOnceAfterAnUpdateThenReported() throws Exception {
        Path bin = stubs(false);
        Files.writeString(tmp.resolve("apt-fails"), "");
        DebianPackages packages = new DebianPackages(Map.of("PATH", bin.toString()), 0);
        assertThatThrownBy(() -> packages.install(List.of("packer"), new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(DebianPackages.CannotInstall.class)
                .hasMessage("apt-get could not install packer (its output is above); install them yourself"
                        + " (sudo apt-get install packer) and run again");
        assertThat(Files.readAllLines(tmp.resolve("calls"))).containsExactly(
                "apt-get install -y --no-install-recommends packer DEBIAN_FRONTEND=noninteractive",
                "apt-get update DEBIAN_FRONTEND=noninteractive");
    }

    @Test
    void aNameThatCouldBeAnOptionNeverReachesAptGet() {
        DebianPackages packages = new DebianPackages(Map.of("PATH", "/nonexistent"), 0);
        assertThatThrownBy(() -> packages.install(List.of("-oAPT::Get::Assume-Yes=1"), System.out))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * SYNTHETIC stand-ins: apt-get records "apt-get ARGS DEBIAN_FRONTEND=..." and marks the packages
     * installed (unless apt-fails exists: then it exits 100 as apt does); dpkg-query prints
     * "installed" for marked packages; sudo (when wanted) records "sudo ARGS" and runs the rest.
     */
    private Path stubs(boolean withSudo) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path calls = tmp.resolve("calls");
        Path marks = Files.createDirectories(tmp.resolve("installed"));
        script(bin.resolve("apt-get"), "echo \"apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND\" >> '" + calls + "'\n"
                + "echo 'apt says: installing'\n"
                + "[ -e '" + tmp.resolve("apt-fails") + "' ] && { [ \"$1\" = update ] && exit 100; exit 100; }\n"
                + "[ \"$1\" = install ] || exit 0\n"
                + "shift 3\nfor p in \"$@\"; do : > '" + marks + "'/\"$p\"; done\n");
        script(bin.resolve("dpkg-query"), "for last in \"$@\"; do :; done\n"
                + "if [ -e '" + marks + "'/\"$last\" ]; then echo installed; else exit 1; fi\n");
        if (withSudo) {
            script(bin.resolve("sudo"), "echo \"sudo $*\" >> '" + calls + "'\n"
                    + "[ -e '" + tmp.resolve("sudo-needs-password") + "' ] && exit 1\n"
                    + "shift\n[ \"$1\" = true ] && exit 0\nexec /usr/bin/env \"$@\"\n");
        }
        return bin;
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
