package io.vaultcube.pipeline.image.repo;

import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.ProgressMeter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test main: one promotion in a JVM of its own, started at a barrier.
 * Arguments: REPO NAME VERSION CHANNEL GATE_REPORT BARRIER_FILE IMAGE_FILE...
 * Prints "ready", waits for BARRIER_FILE, promotes, prints "outcome OUTCOME" and exits 0,
 * or prints "refused MESSAGE" and exits 1, or "failed MESSAGE" and exits 2.
 */
public final class PromoteMain {
    private PromoteMain() {
    }

    public static void main(String[] args) throws Exception {
        Path barrier = Path.of(args[5]);
        List<Path> files = new ArrayList<>();
        for (int i = 6; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        PromotionRequest request = PromotionRequest.builder(Path.of(args[0]), args[1], args[2], Path.of(args[4]))
                .files(files).channel(args[3]).actor(new Actor("process-" + ProcessHandle.current().pid(), "test"))
                .build();
        Promoter promoter = new Promoter(new FileHasher(), 1, ProgressMeter.silent(), line -> { }, new ProcessRunner());
        System.out.println("ready");
        System.out.flush();
        while (!Files.exists(barrier)) {
            Thread.sleep(5);
        }
        try {
            System.out.println("outcome " + promoter.promote(request).outcome());
            System.exit(0);
        } catch (PromotionRefusedException e) {
            System.out.println("refused " + e.getMessage());
            System.exit(1);
        } catch (Exception e) {
            System.out.println("failed " + e);
            System.exit(2);
        }
    }
}
