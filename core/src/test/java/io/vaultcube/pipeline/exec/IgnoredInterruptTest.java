package io.vaultcube.pipeline.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.image.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * vault started in the background by a script (CI, Jenkins' sh step) begins with SIGINT ignored;
 * its tools must still get the cancel's SIGINT and clean up. Found by running the suite as
 * {@code ./test.sh &}: every "SIGINT first" test saw SIGTERM first.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // a guard only: the test waits for the child's exit
@Tag("slow") // starts a JVM
class IgnoredInterruptTest {
    @TempDir
    Path tmp;

    @Test
    void aToolOfAVaultStartedWithSigintIgnoredStillGetsTheCancelsSigint() throws Exception {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "\"$@\" & wait $!", "sh"));
        argv.addAll(Tools.javaMain(IgnoredInterruptMain.class, tmp.toString(), ProcessRunnerTest.script("tree-trap.sh")));
        Process child = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor()).as(out).isZero();

        assertThat(out).as("the control: sh's & really ignored SIGINT in the child JVM")
                .contains("interrupt ignored here: true");
        // The tool got SIGINT first and exited on it (its background sleeps then get SIGTERM).
        assertThat(out.lines()).as(out).contains("signals: INT");
        assertThat(tmp.resolve("cleaned")).as("the tool's SIGINT cleanup ran").exists();
        ProcessRunnerTest.assertAllGone(tmp.resolve("pids"));
    }

    @Test
    void readsTheIgnoredMaskOfAStatusFile() throws IOException {
        Path status = tmp.resolve("status");
        Files.writeString(status, "Name:\tjava\nSigBlk:\t0000000000000002\nSigIgn:\t0000000000000006\n");
        assertThat(ProcessRunner.interruptIgnored(status)).isTrue();
        Files.writeString(status, "SigIgn:\t0000000000001000\n");
        assertThat(ProcessRunner.interruptIgnored(status)).as("SIGPIPE-like bits only").isFalse();
        Files.writeString(status, "SigIgn:\t0000000000000004\n");
        assertThat(ProcessRunner.interruptIgnored(status)).as("SIGQUIT alone").isTrue();
        assertThat(ProcessRunner.interruptIgnored(tmp.resolve("absent"))).isFalse();
    }
}
