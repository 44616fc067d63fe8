package io.vaultcube.pipeline.exec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link IgnoredInterruptTest} in a JVM started as {@code java ... &} by sh, so that it
 * begins with SIGINT ignored: starts tree-trap.sh, cancels it once it is ready, and prints the
 * strongest signal the run needed ("INT" when the tool got its SIGINT and cleaned up).
 */
public final class IgnoredInterruptMain {
    private IgnoredInterruptMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        System.out.println("interrupt ignored here: " + ProcessRunner.interruptIgnored(Path.of("/proc/self/status")));
        CountDownLatch ready = new CountDownLatch(1);
        RunningProcess running = new ProcessRunner(ProcessRunner.Containment.SESSION).start(
                ProcessSpec.builder("bash", args[1], dir.toString())
                        .graces(Duration.ofSeconds(60), Duration.ofSeconds(5))
                        .listener((s, line) -> {
                            if (line.equals("ready")) {
                                ready.countDown();
                            }
                        })
                        .build());
        if (!ready.await(5, TimeUnit.MINUTES)) {
            System.out.println("tree-trap.sh never said ready");
            System.exit(1);
        }
        running.cancel();
        ProcessResult result = running.await();
        System.out.println("strongest signal: " + result.strongestSignal());
        System.out.println("signals: " + String.join(",", Files.readAllLines(dir.resolve("signals"))));
    }
}
