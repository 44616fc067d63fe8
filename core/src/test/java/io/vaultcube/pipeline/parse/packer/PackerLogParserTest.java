package io.vaultcube.pipeline.parse.packer;

import static io.vaultcube.pipeline.parse.ParseTesting.crlf;
import static io.vaultcube.pipeline.parse.ParseTesting.firstLines;
import static io.vaultcube.pipeline.parse.ParseTesting.line;
import static io.vaultcube.pipeline.parse.ParseTesting.read;
import static io.vaultcube.pipeline.parse.ParseTesting.value;
import static io.vaultcube.pipeline.parse.ParseTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.Fixtures;
import io.vaultcube.pipeline.parse.ParseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackerLogParserTest {
    private final PackerLogParser parser = new PackerLogParser();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"packer/build-ok.log", "packer/reference-build-ok.log"})
    void successfulBuildWithPostProcessors(String fixture) throws Exception {
        MetricSet m = parser.parse(Fixtures.input(fixture));
        assertThat(value(m, "packer.builds")).as(fixture).isEqualTo(2L);
        assertThat(value(m, "packer.builds_failed")).isEqualTo(0L);
        // Each post-processor block yields an artifact: builder, checksum, manifest, per build.
        assertThat(value(m, "packer.artifacts")).isEqualTo(6L);
        assertThat(value(m, "packer.errors")).isEqualTo(0L);
        assertThat(value(m, "packer.success")).isEqualTo(true);
        assertThat(value(m, "packer.complete")).isEqualTo(true);
        assertThat(value(m, "packer.build[file.art].ok")).isEqualTo(true);
        assertThat(value(m, "packer.build[file.art].artifacts")).isEqualTo(3L);
        assertThat(value(m, "packer.build[file.art].artifact[0].builder_id")).isEqualTo("packer.file");
        assertThat(value(m, "packer.build[null.ok].artifact[0].builder_id")).isEqualTo("fnoeding.null");
        assertThat(value(m, "packer.build[file.art].artifact[0].files")).isEqualTo(1L);
        assertThat(m.contains("packer.build[file.art].artifact[1].id")).as("empty id is not a metric").isFalse();
        assertThat(line(m, "packer.build[file.art].artifacts")).isEqualTo(15L);
        assertThat(m.contains("packer.version")).isFalse();
    }

    @Test
    void theReferenceBuildHasDurationsAndAChecksumArtifactOfThreeFiles() throws Exception {
        MetricSet ref = parser.parse(Fixtures.input("packer/reference-build-ok.log"));
        assertThat(value(ref, "packer.build[file.art].duration_s")).isEqualTo(0.075409);
        assertThat(value(ref, "packer.build[file.art].artifact[1].files")).isEqualTo(3L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"packer/build-one-failed.log", "packer/reference-build-one-failed.log"})
    void oneFailedBuild(String fixture) throws Exception {
        MetricSet m = parser.parse(Fixtures.input(fixture));
        assertThat(value(m, "packer.builds")).as(fixture).isEqualTo(2L);
        assertThat(value(m, "packer.builds_failed")).isEqualTo(1L);
        assertThat(value(m, "packer.errors")).isEqualTo(1L);
        assertThat(value(m, "packer.artifacts")).isEqualTo(1L);
        assertThat(value(m, "packer.success")).isEqualTo(false);
        assertThat(value(m, "packer.build[null.bad].ok")).isEqualTo(false);
        assertThat(value(m, "packer.build[null.good].ok")).isEqualTo(true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"packer/config-error-hcl.log", "packer/config-error-missing-template.log"})
    void configErrorsComeWithoutErrorCountAndStillCount(String fixture) throws Exception {
        MetricSet m = parser.parse(Fixtures.input(fixture));
        assertThat(value(m, "packer.errors")).as(fixture).isEqualTo(1L);
        assertThat(value(m, "packer.config_errors")).isEqualTo(1L);
        assertThat(value(m, "packer.builds")).isEqualTo(0L);
        assertThat(value(m, "packer.success")).isEqualTo(false);
    }

    @Test
    void anOnlyThatMatchedNothingIsNoSuccess() throws Exception {
        // packer exits 0 here; the metrics must not look like a successful build.
        MetricSet m = parser.parse(Fixtures.input("packer/only-matched-nothing.log"));
        assertThat(value(m, "packer.builds")).isEqualTo(0L);
        assertThat(value(m, "packer.artifacts")).isEqualTo(0L);
        assertThat(value(m, "packer.errors")).isEqualTo(0L);
        assertThat(value(m, "packer.success")).isEqualTo(false);
    }

    @Test
    void anInterruptedRunFailsEveryBuildEvenOnesPackerCallsFinished() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("packer/interrupted.log"));
        assertThat(value(m, "packer.complete")).isEqualTo(false);
        assertThat(line(m, "packer.complete")).isEqualTo(6L);
        assertThat(value(m, "packer.builds_failed")).isEqualTo(1L);
        assertThat(value(m, "packer.build[null.slow].ok")).isEqualTo(false);
        assertThat(value(m, "packer.success")).isEqualTo(false);
        assertThat(value(m, "packer.duration_s")).isEqualTo(4L);
    }

    @Test
    void versionOutputGivesTheVersion() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("packer/version.log"));
        assertThat(m.values()).containsOnlyKeys("packer.version");
        assertThat(value(m, "packer.version")).isEqualTo("1.6.6");
    }

    @Test
    void aVersionRecordAtTheStartOfABuildLogIsKept() throws Exception {
        String log = read("packer/version.log") + read("packer/build-ok.log");
        MetricSet m = parser.parse(write(tmp, "v.log", log));
        assertThat(value(m, "packer.version")).isEqualTo("1.6.6");
        assertThat(value(m, "packer.artifacts")).isEqualTo(6L);
    }

    @Test
    void ansibleThroughPackerIsABuildLikeAnyOther() throws Exception {
        assertThat(value(parser.parse(Fixtures.input("packer/ansible-via-shell-local.log")), "packer.success")).isEqualTo(true);
        MetricSet failed = parser.parse(Fixtures.input("packer/ansible-via-shell-local-failed.log"));
        assertThat(value(failed, "packer.builds_failed")).isEqualTo(1L);
        assertThat(value(failed, "packer.artifacts")).isEqualTo(0L);
    }

    @Test
    void crlfGivesTheSameMetrics() throws Exception {
        String log = read("packer/build-ok.log");
        assertThat(parser.parse(write(tmp, "crlf.log", crlf(log))).values())
                .isEqualTo(parser.parse(write(tmp, "lf.log", log)).values());
    }

    @Test
    void everyCutBeforeTheLastArtifactEndIsRefused() throws Exception {
        String log = read("packer/build-ok.log");
        String[] lines = log.split("\n");
        int lastEnd = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith(",end")) {
                lastEnd = i + 1;
            }
        }
        assertThat(lastEnd).isEqualTo(54);
        for (int n = 1; n < lastEnd; n++) {
            String cut = firstLines(log, n);
            assertThatThrownBy(() -> parser.parse(write(tmp, "cut.log", cut))).as("first %d lines", n)
                    .isInstanceOf(ParseException.class).hasMessageContaining("truncated");
        }
        // A cut in the middle of a line, too.
        String mid = log.substring(0, log.indexOf("artifact,2,files-count") + 10);
        assertThatThrownBy(() -> parser.parse(write(tmp, "mid.log", mid))).isInstanceOf(ParseException.class);
    }

    @Test
    void logsOfPackerBefore162WithoutWaitCompletedAreRead() throws Exception {
        MetricSet m = parser.parse(Fixtures.input("packer/reference-0.12-tail-no-wait-completed.log"));
        assertThat(value(m, "packer.success")).isEqualTo(true);
        assertThat(value(m, "packer.builds")).isEqualTo(1L);
        assertThat(value(m, "packer.build[builder_aws].artifacts")).isEqualTo(1L);
        String old = read("packer/reference-0.12-tail-no-wait-completed.log");
        // Cut before 'Builds finished': still cut short, and the message says why no 'Wait completed' is expected.
        String versioned = "1485520000,,ui,say,Packer v1.5.6\n" + old;
        String cut = versioned.substring(0, versioned.indexOf("1485520166,,ui,say,\\n==> Builds finished"));
        assertThatThrownBy(() -> parser.parse(write(tmp, "cut-old.log", cut))).isInstanceOf(ParseException.class)
                .hasMessageContaining("truncated: no 'Builds finished' line (packer 1.5.6 is older than 1.6.2");
        // A log that says 1.6.2 or later must have 'Wait completed'.
        String recent = "1485520000,,ui,say,Packer v1.9.4\n" + old;
        assertThatThrownBy(() -> parser.parse(write(tmp, "recent.log", recent))).isInstanceOf(ParseException.class)
                .hasMessageContaining("packer 1.9.4 prints 'Wait completed' before 'Builds finished' (since 1.6.2)");
        assertThat(PackerLogParser.atLeast("1.6.2", 1, 6, 2)).isTrue();
        assertThat(PackerLogParser.atLeast("v1.6.1", 1, 6, 2)).isFalse();
        assertThat(PackerLogParser.atLeast("1.10.0-dev", 1, 6, 2)).isTrue();
        assertThat(PackerLogParser.atLeast("0.12.2", 1, 6, 2)).isFalse();
        // A log cut mid-line is refused even where the cut falls after the last record it needs.
        String full = read("packer/build-ok.log");
        assertThatThrownBy(() -> parser.parse(write(tmp, "nonl.log", full.substring(0, full.length() - 1))))
                .isInstanceOf(ParseException.class).hasMessageContaining("cut short: the last line has no newline");
    }

    @Test
    void missingErrorRecordsAreInconsistent() throws Exception {
        String log = read("packer/build-one-failed.log").replace(
                "1795908964,null.bad,error,Script exited with non-zero exit status: 3.Allowed exit codes are: [0]\n", "");
        assertThatThrownBy(() -> parser.parse(write(tmp, "e.log", log)))
                .isInstanceOf(ParseException.class).hasMessageContaining("error-count says 1 but 0 error records");
    }

    @Test
    void artifactCountMismatchIsRefused() throws Exception {
        String log = read("packer/build-ok.log").replace("file.art,artifact-count,3", "file.art,artifact-count,4");
        assertThatThrownBy(() -> parser.parse(write(tmp, "c.log", log)))
                .isInstanceOf(ParseException.class).hasMessageContaining("artifact 3 of build 'file.art'");
        String files = read("packer/build-ok.log").replace("file.art,artifact,0,files-count,1", "file.art,artifact,0,files-count,2");
        assertThatThrownBy(() -> parser.parse(write(tmp, "f.log", files)))
                .isInstanceOf(ParseException.class).hasMessageContaining("files-count 2 but 1 file records");
    }

    @Test
    void aLineThatIsNotARecordIsRefusedWithItsNumber() throws Exception {
        String log = read("packer/build-ok.log");
        String garbled = firstLines(log, 4) + "panic: runtime error\n" + log.substring(firstLines(log, 4).length());
        assertThatThrownBy(() -> parser.parse(write(tmp, "g.log", garbled)))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("g.log:5: not a packer machine-readable record");
        // Wrong columns: no type field.
        assertThatThrownBy(() -> parser.parse(write(tmp, "w.log", "1795908961,file.art\n")))
                .isInstanceOf(ParseException.class).hasMessageStartingWith("w.log:1:");
    }

    @Test
    void emptyBinaryAndHugeInputsAreRefused() throws Exception {
        assertThatThrownBy(() -> parser.parse(write(tmp, "empty.log", "")))
                .isInstanceOf(ParseException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> parser.parse(write(tmp, "blank.log", "\n\n")))
                .isInstanceOf(ParseException.class).hasMessageContaining("no packer machine-readable record");
        byte[] binary = read("packer/build-ok.log").getBytes(StandardCharsets.UTF_8);
        binary[100] = 0;
        assertThatThrownBy(() -> parser.parse(write(tmp, "bin.log", binary)))
                .isInstanceOf(ParseException.class).hasMessageContaining("binary data");
        byte[] huge = new byte[2 << 20];
        Arrays.fill(huge, (byte) '1');
        assertThatThrownBy(() -> parser.parse(write(tmp, "huge.log", huge)))
                .isInstanceOf(ParseException.class).hasMessageContaining("longer than 1 MiB");
    }

    @Test
    void unescapesPackerFields() {
        PackerRecord r = PackerRecord.parse("1795905643,,ui,error,\\n==> a%!(PACKER_COMMA) b\\r");
        assertThat(r.field(1)).isEqualTo("\n==> a, b\r");
        assertThat(r.target()).isEmpty();
        assertThat(PackerRecord.parse("x,,ui,say,hi")).isNull();
        assertThat(PackerRecord.parse("12,t")).isNull();
        assertThat(PackerRecord.parse("12,t,Type,x")).isNull();
    }

    @Test
    void readsGoDurations() {
        assertThat(GoDurations.seconds("1 second 471 milliseconds")).isEqualTo(1.471);
        assertThat(GoDurations.seconds("2 hours 5 minutes")).isEqualTo(7500.0);
        assertThat(GoDurations.seconds("29 microseconds")).isEqualTo(0.000029);
        assertThat(GoDurations.seconds("soon")).isNaN();
    }
}
