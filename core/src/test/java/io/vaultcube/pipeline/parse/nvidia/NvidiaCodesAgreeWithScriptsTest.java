package io.vaultcube.pipeline.parse.nvidia;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.kernel.KernelLogParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NVIDIA facts that shell scripts keep in their own copies agree with {@link NvidiaCodes} and
 * {@link Sentinels}: the application-class Xids of validate-gpus.sh, the throttle bits that
 * monitor.sh and validate-gpus.sh decode, and the fault and "not available" values of
 * validate-gpus.sh. A script edited alone fails here, naming what differs.
 */
class NvidiaCodesAgreeWithScriptsTest {
    private static final Path ROOT = repositoryRoot();
    private static final Path VALIDATE = ROOT.resolve("scripts/validate-gpus.sh");
    private static final Path MONITOR = ROOT.resolve("scripts/monitor.sh");

    @TempDir
    Path tmp;

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("scripts/validate-gpus.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("scripts/validate-gpus.sh not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    @Test
    void theApplicationXidsOfValidateGpusAreNvidiaCodes() throws Exception {
        Matcher m = Pattern.compile("(?m)^readonly APPLICATION_XIDS=\"([ 0-9]*)\"$").matcher(read(VALIDATE));
        assertThat(m.find()).as("APPLICATION_XIDS in " + VALIDATE).isTrue();
        Set<Integer> script = new TreeSet<>();
        for (String code : m.group(1).trim().split(" +")) {
            script.add(Integer.parseInt(code));
        }
        assertThat(script).as("validate-gpus.sh APPLICATION_XIDS vs NvidiaCodes.APPLICATION_XIDS")
                .isEqualTo(new TreeSet<>(NvidiaCodes.APPLICATION_XIDS));
        assertThat(NvidiaCodes.fatalXid(38)).as("Xid 38, a driver firmware error").isTrue();
    }

    /** The bits an awk {@code reasons} decoder flags as throttling: {@code if (bit(r, N)) t = t ...}. */
    private static long throttleBits(Path script) throws IOException {
        Matcher m = Pattern.compile("if \\(bit\\(r, (\\d+)\\)\\) t = t").matcher(read(script));
        long bits = 0;
        int n = 0;
        while (m.find()) {
            bits |= Long.parseLong(m.group(1));
            n++;
        }
        assertThat(n).as("throttle bit tests in " + script).isPositive();
        return bits;
    }

    @Test
    void theThrottleBitsOfTheScriptsAreNvidiaCodes() throws Exception {
        assertThat(Long.toHexString(throttleBits(MONITOR))).as("monitor.sh").isEqualTo(Long.toHexString(NvidiaCodes.THROTTLE_BITS));
        assertThat(Long.toHexString(throttleBits(VALIDATE))).as("validate-gpus.sh")
                .isEqualTo(Long.toHexString(NvidiaCodes.THROTTLE_BITS));
        // monitor.sh shows 0x04 as "pwr-cap", never as throttling
        assertThat(read(MONITOR)).contains("bit(r, 4)) t = \",pwr-cap\"");
        assertThat(NvidiaCodes.throttling(NvidiaCodes.SW_POWER_CAP)).isFalse();
    }

    private static List<String> quoted(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("v == \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theFaultAndMissingValuesOfValidateGpusAreTheParsers() throws Exception {
        String script = read(VALIDATE);
        Matcher missing = Pattern.compile("function missing\\(v\\) \\{ return ([^}]*)\\}").matcher(script);
        assertThat(missing.find()).as("function missing in validate-gpus.sh").isTrue();
        Set<String> scriptMissing = new HashSet<>(quoted(missing.group(1)));
        scriptMissing.remove(""); // an empty field: the parsers refuse or skip it by position, not as a sentinel
        Set<String> javaMissing = new HashSet<>(Sentinels.missingValues());
        javaMissing.remove("-"); // dmon's stand-in; validate-gpus.sh reads no dmon output
        assertThat(new TreeSet<>(scriptMissing)).as("validate-gpus.sh missing() vs Sentinels")
                .isEqualTo(new TreeSet<>(javaMissing));
        Matcher fault = Pattern.compile("if \\((v == \"\\[GPU[^\\n]*)\\)\\n").matcher(script);
        assertThat(fault.find()).as("the fault test in validate-gpus.sh").isTrue();
        assertThat(new TreeSet<>(quoted(fault.group(1)))).as("validate-gpus.sh faults vs Sentinels")
                .isEqualTo(new TreeSet<>(Sentinels.faultValues()));
    }

    @Test
    void aKernelLogWithXid38FailsTheScriptAndCountsAsFatalInTheMetrics() throws Exception {
        Path fixtures = ROOT.resolve("tests/bats/fixtures");
        Path log = fixtures.resolve("kernel-logs/xid38.log");
        ProcessBuilder pb = new ProcessBuilder("bash", VALIDATE.toString(), "--evidence", tmp.resolve("ev").toString(),
                "--no-load");
        pb.environment().put("PATH", fixtures.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_GPU_SCENARIO", fixtures.resolve("rtx5090-4gpu").toString());
        pb.environment().put("FAKE_KERNEL_LOG", log.toString());
        pb.environment().remove("CUDA_DEVICE_ORDER");
        pb.redirectErrorStream(true);
        pb.redirectOutput(tmp.resolve("out.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("validate-gpus.sh ended").isTrue();
        String out = Files.readString(tmp.resolve("out.txt"));
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("FAULT kernel log: fatal Xid 38 x1").contains("1 Xid (1 fatal; codes: 38)");

        MetricSet m = new KernelLogParser().parse(ParseInput.of(log));
        assertThat(m.get("xid.count").orElseThrow().number().orElseThrow()).isEqualTo(1.0);
        assertThat(m.get("xid.fatal.count").orElseThrow().number().orElseThrow()).as("same verdict as the script")
                .isEqualTo(1.0);
    }
}
