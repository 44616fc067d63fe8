package io.vaultcube.pipeline.image.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcube.pipeline.image.Tools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight promotions at once into one repository, as eight processes and as eight threads of one
 * JVM: five distinct versions and three racing for the same version (two with the same files, one
 * with other files). Nothing may be lost or corrupted: every distinct version is there and
 * intact, the contested version holds exactly the winner's files, the loser with other files is
 * refused, and the audit log has one entry per promotion.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools or processes: left out of ./test.sh --fast
class ConcurrentPromotionTest {
    @TempDir
    Path tmp;

    record Job(String version, Path file) {
    }

    List<Job> jobs() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            Path dir = Files.createDirectories(tmp.resolve("v" + i));
            jobs.add(new Job("v" + i, Tools.randomFile(dir.resolve("disk.img"), 1_500_000 + i, i)));
        }
        Path a = Files.createDirectories(tmp.resolve("shared-a"));
        Path b = Files.createDirectories(tmp.resolve("shared-b"));
        Path sameA = Tools.randomFile(a.resolve("disk.img"), 1_500_000, 100);
        Path other = Tools.randomFile(b.resolve("disk.img"), 1_500_000, 200);
        jobs.add(new Job("shared", sameA));
        jobs.add(new Job("shared", other));
        jobs.add(new Job("shared", sameA));
        return jobs;
    }

    @Test
    void eightProcessesAtOnce() throws Exception {
        Path repo = tmp.resolve("repo");
        Path barrier = tmp.resolve("go");
        List<Job> jobs = jobs();
        List<Process> processes = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        for (Job job : jobs) {
            Process p = new ProcessBuilder(Tools.javaMain(PromoteMain.class, repo.toString(), "img", job.version(), "latest",
                    Tools.resource("gate-success.json").toString(), barrier.toString(), job.file().toString()))
                    .redirectErrorStream(true).start();
            processes.add(p);
            outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }
        for (BufferedReader out : outputs) {
            assertThat(out.readLine()).isEqualTo("ready");
        }
        Files.createFile(barrier);
        List<String> results = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            assertThat(processes.get(i).waitFor(120, TimeUnit.SECONDS)).isTrue();
            String line = outputs.get(i).readLine();
            results.add(processes.get(i).exitValue() + " " + line);
        }
        assertOutcome(repo, jobs, results);
    }

    @Test
    void eightThreadsOfOneJvmAtOnce() throws Exception {
        Path repo = tmp.resolve("repo");
        List<Job> jobs = jobs();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(jobs.size());
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (Job job : jobs) {
                futures.add(pool.submit(() -> {
                    go.await();
                    try {
                        return "0 outcome " + new Promotions().promote(Promotions.request(repo, "img", job.version(), job.file())
                                .channel("latest")).outcome();
                    } catch (PromotionRefusedException e) {
                        return "1 refused " + e.getMessage();
                    }
                }));
            }
            go.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            assertOutcome(repo, jobs, results);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertOutcome(Path repo, List<Job> jobs, List<String> results) throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(results.get(i)).as(jobs.get(i).version()).isEqualTo("0 outcome CREATED");
            assertThat(Files.mismatch(jobs.get(i).file(), repo.resolve("img/v" + (i + 1) + "/disk.img"))).isEqualTo(-1L);
        }
        // The contested version: whoever took the lock first created it.
        List<String> contested = results.subList(5, 8);
        assertThat(contested).filteredOn(r -> r.equals("0 outcome CREATED")).hasSize(1);
        Path winner = jobs.get(5 + contested.indexOf("0 outcome CREATED")).file();
        assertThat(Files.mismatch(winner, repo.resolve("img/shared/disk.img"))).isEqualTo(-1L);
        for (int i = 5; i < 8; i++) {
            boolean sameAsWinner = Files.mismatch(jobs.get(i).file(), winner) == -1L;
            if (jobs.get(i).file().equals(winner) && contested.get(i - 5).equals("0 outcome CREATED")) {
                continue;
            }
            if (sameAsWinner) {
                assertThat(results.get(i)).isEqualTo("0 outcome UNCHANGED");
            } else {
                assertThat(results.get(i)).startsWith("1 refused ").contains("versions are immutable");
            }
        }
        VerifyReport report = Promotions.verify(repo);
        assertThat(report.problems()).isEmpty();
        assertThat(report.notes()).isEmpty();
        assertThat(report.versions()).isEqualTo(6);
        ImageRepository r = ImageRepository.open(repo);
        assertThat(r.channels("img")).containsOnlyKeys("latest");
        List<JsonNode> audit = r.auditLog().read(p -> { throw new AssertionError(p); });
        assertThat(audit).hasSize(8);
        assertThat(audit).extracting(e -> e.path("outcome").asText()).filteredOn("created"::equals).hasSize(6);
        // The last promotion that moved the channel is the last audit entry that names it.
        String lastMoved = null;
        for (JsonNode e : audit) {
            for (JsonNode move : e.path("channels")) {
                lastMoved = move.path("to").asText();
            }
        }
        assertThat(r.channel("img", "latest")).isEqualTo(lastMoved);
    }

    @Test
    void aWriterWaitsForTheLockOrGivesUpAfterItsTimeout() throws Exception {
        Path repo = tmp.resolve("repo");
        Path disk = Tools.randomFile(Files.createDirectories(tmp.resolve("in")).resolve("disk.img"), 1000, 1);
        new Promotions().promote(Promotions.request(repo, "img", "1", disk));
        RepositoryLayout layout = new RepositoryLayout(repo);
        List<String> said = new ArrayList<>();
        try (RepositoryLock held = RepositoryLock.acquire(layout.imageLock("img"), null, said::add)) {
            Promotions other = new Promotions();
            assertThatThrownBy(() -> other.promote(Promotions.request(repo, "img", "2", disk)
                    .lockTimeout(Duration.ofMillis(600))))
                    .isInstanceOf(RepositoryException.class).hasMessageContaining("gave up waiting for the lock");
            assertThat(other.log).anyMatch(l -> l.startsWith("waiting for the lock"));
        }
        assertThat(new Promotions().promote(Promotions.request(repo, "img", "2", disk)).outcome())
                .isEqualTo(PromotionResult.Outcome.CREATED);
        assertThat(ImageRepository.open(repo).versions("img")).containsExactly("1", "2");
        assertThat(Map.of()).isEmpty();
    }
}
