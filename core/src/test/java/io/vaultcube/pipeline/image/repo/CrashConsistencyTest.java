package io.vaultcube.pipeline.image.repo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcube.pipeline.image.ImageManifest;
import io.vaultcube.pipeline.image.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills promoting processes with SIGKILL at random steps of their work, 52 times, while a reader watches the
 * repository. After every kill {@code verify} must pass (every visible version complete and
 * intact, every channel on a complete version), and at no moment may the reader see a partial
 * version or a channel that leads nowhere. At the end the next writer cleans up: no stale staging,
 * and the audit log accounts for every version.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES) // a hang guard: 52 JVM starts take minutes on a busy 2-core machine
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class CrashConsistencyTest {
    private static final int KILLS = 52;
    /** The most steps a worker prints before it is killed (a promotion prints about ten). */
    private static final int STEPS_BEFORE_KILL = 40;

    @TempDir
    Path tmp;

    @Test
    void sigkillAtRandomMomentsNeverLeavesAPartialVersionVisible() throws Exception {
        long seed = Long.getLong("vault.crash.seed", System.nanoTime());
        System.out.println("CrashConsistencyTest seed " + seed + " (rerun with -Dvault.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        Path repo = tmp.resolve("repo");
        Path sources = tmp.resolve("sources");
        for (int s = 0; s < 3; s++) {
            Path set = Files.createDirectories(sources.resolve("set-" + s));
            Tools.randomFile(set.resolve("disk.img"), (1 + s) * 1_000_000L + random.nextInt(100_000), random.nextLong());
            Tools.randomFile(set.resolve("boot.img"), 65_536, random.nextLong());
        }
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                violations.addAll(readerView(repo));
            }
        }, "reader");
        reader.setDaemon(true);
        reader.start();

        Map<String, Integer> lastStep = new TreeMap<>();
        int killedDuringWork = 0;
        Worker next = Worker.start(repo, sources, 0, random.nextLong(), tmp);
        try {
            for (int kill = 0; kill < KILLS; kill++) {
                Worker worker = next;
                worker.awaitReady();
                Files.createFile(worker.barrier());
                // Start the next JVM now: it boots while this one works, and then waits at its barrier.
                next = kill + 1 < KILLS ? Worker.start(repo, sources, kill + 1, random.nextLong(), tmp) : null;
                // Kill on an event, never after a time (a busy machine slows the worker, not the test):
                // when the worker has printed a random number of steps since "go", mostly in the middle
                // of its work; every tenth kill right at its start (lock, cleanup).
                worker.awaitStepsAfterGo(kill % 10 == 9 ? 0 : 1 + random.nextInt(STEPS_BEFORE_KILL));
                assertThat(worker.process().isAlive()).as("the worker runs until killed: %s", worker.lines()).isTrue();
                worker.process().destroyForcibly(); // SIGKILL
                assertThat(worker.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(worker.process().exitValue()).isEqualTo(137);
                worker.pump().join(10_000);
                List<String> lines = worker.lines();
                if (lines.stream().anyMatch(l -> l.startsWith("copying") || l.startsWith("hashing"))) {
                    killedDuringWork++;
                }
                String last = lines.isEmpty() ? "(nothing)" : lines.get(lines.size() - 1);
                lastStep.merge(last.replaceAll("k\\d+\\.\\d+", "V").replaceAll("[0-9a-f]{64}", "H")
                        .replaceAll("staging/img/\\S+", "staging/img/X").replaceAll("\\(.*", "").strip(), 1, Integer::sum);

                if (Files.exists(repo.resolve(".vault/repository.json"))) {
                    VerifyReport report = Promotions.verify(repo);
                    assertThat(report.problems()).as("verify after kill %d (worker said %s)", kill, lines).isEmpty();
                }
                assertThat(violations).as("what the reader saw by kill %d", kill).isEmpty();
            }
        } finally {
            stop.set(true);
            reader.join(10_000);
            if (next != null) {
                next.process().destroyForcibly();
            }
        }
        System.out.println("CrashConsistencyTest: last line printed before each SIGKILL: " + lastStep);
        assertThat(killedDuringWork).as("kills that landed after a promotion had started").isGreaterThan(10);

        // The next writer cleans up after all of them.
        Path last = Files.createDirectories(tmp.resolve("last"));
        Tools.randomFile(last.resolve("final.img"), 10_000, 1);
        new Promotions().promote(Promotions.request(repo, "img", "final", last.resolve("final.img")).channel("stable"));
        VerifyReport report = Promotions.verify(repo);
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes()).as("no stale staging, no unaudited version").isEmpty();
        List<String> auditProblems = new ArrayList<>();
        List<JsonNode> audit = ImageRepository.open(repo).auditLog().read(auditProblems::add);
        assertThat(auditProblems).isEmpty();
        Set<String> created = new HashSet<>();
        for (JsonNode e : audit) {
            String outcome = e.path("outcome").asText();
            if (outcome.equals("created") || outcome.equals("recovered")) {
                created.add(e.path("version").asText());
            } else if (outcome.equals("removed")) {
                created.remove(e.path("version").asText());
            }
        }
        assertThat(created).containsAll(ImageRepository.open(repo).versions("img"));
    }

    /** A worker JVM, its output lines as they come, and the barrier file that starts its work. */
    record Worker(Process process, List<String> lines, Thread pump, Path barrier) {
        static Worker start(Path repo, Path sources, int index, long seed, Path tmp) throws IOException {
            Path barrier = tmp.resolve("go-" + index);
            List<String> argv = Tools.javaMain(CrashWorker.class, repo.toString(),
                    Tools.resource("gate-success.json").toString(), sources.toString(), "k" + index,
                    Long.toString(seed), barrier.toString());
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread pump = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // The worker died.
                }
            });
            pump.setDaemon(true);
            pump.start();
            return new Worker(process, lines, pump, barrier);
        }

        /** Waits until the worker has printed {@code steps} lines after "go" (it works until killed). */
        void awaitStepsAfterGo(int steps) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 120_000;
            while (process.isAlive() && System.currentTimeMillis() < deadline) {
                int go = lines.indexOf("go");
                if (go >= 0 && lines.size() > go + steps) {
                    return;
                }
                Thread.sleep(1);
            }
            throw new AssertionError("the worker did not print " + steps + " steps after go: " + lines);
        }

        void awaitReady() throws InterruptedException {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!lines.contains("ready") && process.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertThat(lines).as("worker started").contains("ready");
        }
    }

    /**
     * What a reader sees right now: every version directory must be complete (manifest, SHA256SUMS,
     * every file at its size), and every channel must lead, through its link, to a manifest.
     * A version that disappears while it is being looked at was removed by gc: not a violation.
     */
    static List<String> readerView(Path repo) {
        List<String> seen = new ArrayList<>();
        if (!Files.exists(repo.resolve(".vault/repository.json"))) {
            return seen;
        }
        try {
            ImageRepository r = ImageRepository.open(repo);
            for (String version : r.versions("img")) {
                Path dir = repo.resolve("img").resolve(version);
                try {
                    ImageManifest m = r.manifest("img", version);
                    if (!Files.isRegularFile(dir.resolve("SHA256SUMS"))) {
                        throw new IOException("no SHA256SUMS");
                    }
                    for (ImageManifest.FileEntry f : m.files()) {
                        if (Files.size(dir.resolve(f.name())) != f.size()) {
                            throw new IOException(f.name() + " is partial");
                        }
                    }
                } catch (IOException e) {
                    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                        seen.add("partial version " + version + ": " + e);
                    }
                }
            }
            Path channels = repo.resolve("img/channels");
            if (Files.isDirectory(channels)) {
                try (var links = Files.list(channels)) {
                    for (Path link : links.toList()) {
                        if (link.getFileName().toString().startsWith(".")) {
                            continue;
                        }
                        try {
                            Files.readAllBytes(link.resolve("manifest.json"));
                        } catch (IOException e) {
                            seen.add("channel " + link.getFileName() + " leads nowhere: " + e);
                        }
                    }
                }
            }
        } catch (IOException e) {
            seen.add("cannot read the repository: " + e);
        }
        return seen;
    }
}
