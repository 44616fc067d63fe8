package io.vaultcube.pipeline.image.repo;

import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.ProgressMeter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test main (run in its own JVM by {@link CrashConsistencyTest}, which SIGKILLs it): promotes
 * version after version of image "img", moving channels, re-promoting the same content and
 * collecting garbage, and prints every step, until it is killed.
 *
 * <p>Arguments: REPO GATE_REPORT SOURCES_DIR VERSION_PREFIX SEED BARRIER. SOURCES_DIR holds set-0,
 * set-1, ... directories of image files. After loading its classes it prints "ready" and waits for
 * the file BARRIER to exist (so the test can start the next worker while this one runs), then
 * prints "go" and works.
 */
public final class CrashWorker {
    private static final String[] CHANNELS = {"dev", "candidate", "stable"};

    private CrashWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]);
        Path gate = Path.of(args[1]);
        Path sources = Path.of(args[2]);
        String prefix = args[3];
        Random random = new Random(Long.parseLong(args[4]));
        Path barrier = Path.of(args[5]);
        List<List<Path>> sets = new ArrayList<>();
        for (int s = 0; Files.isDirectory(sources.resolve("set-" + s)); s++) {
            try (var files = Files.list(sources.resolve("set-" + s))) {
                sets.add(files.sorted().toList());
            }
        }
        Promoter promoter = new Promoter(new FileHasher(), 2, ProgressMeter.silent(), CrashWorker::say, new ProcessRunner());
        Actor actor = new Actor("crash-worker", "test");
        // Load and link what a promotion uses before saying "ready", so the kills land in promotions,
        // not in class loading.
        io.vaultcube.pipeline.image.GateReportReader.read(gate);
        new FileHasher().hash(sets.get(0).get(0), null);
        io.vaultcube.pipeline.image.ManifestJson.read(io.vaultcube.pipeline.image.ManifestJson.write(
                new io.vaultcube.pipeline.image.ImageManifest("w", "w", java.time.Instant.now(),
                        actor.toManifest(), List.of(), io.vaultcube.pipeline.image.ImageManifest.Gate.of(
                                io.vaultcube.pipeline.image.GateReportReader.read(gate)), null)), "warm-up");
        say("ready");
        while (!Files.exists(barrier)) {
            Thread.sleep(2);
        }
        say("go");
        for (int i = 0; ; i++) {
            String version = prefix + "." + i;
            PromotionRequest.Builder request = PromotionRequest.builder(repo, "img", version, gate)
                    .files(sets.get(random.nextInt(sets.size())))
                    .channel(CHANNELS[random.nextInt(CHANNELS.length)])
                    .actor(actor);
            promoter.promote(request.build());
            if (i % 4 == 3) {
                say("again " + version);
                promoter.promote(request.build());
            }
            if (i % 3 == 2) {
                say("gc");
                new GarbageCollector(CrashWorker::say).collect(ImageRepository.open(repo), List.of(), 2, false, actor, null);
            }
            say("done " + version);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
