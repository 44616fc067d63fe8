package io.vaultcube.pipeline.gate.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.gate.GateRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkdownReportTest {
    @TempDir
    Path tmp;

    @Test
    void verdictLineThenFailedRowsFirstThenOneLinePerPassedGate() throws Exception {
        GateRun run = ReportFixture.run(tmp, 3600, 60);
        String md = MarkdownReport.render(run.report());
        List<String> lines = md.lines().toList();
        assertThat(lines.get(0)).isEqualTo("## Gate FAILURE: policy report-test (2 failed, 2 unstable, 1 skipped, "
                + "10 passed; 15 checks of 8 gates)");
        List<String> rows = lines.stream().filter(l -> l.startsWith("| ") && !l.startsWith("| Status")).toList();
        assertThat(rows.get(0)).isEqualTo("| **FAIL** | gpu-memory (gpu[2]) | 31000 MiB | min 32000, max 33000 |  | "
                + "observed 31000 MiB < min 32000 MiB | gpu/q.csv:4 |");
        assertThat(rows.get(1)).startsWith("| **FAIL** | gpu-model (gpu[1])");
        assertThat(rows.get(2)).startsWith("| **UNSTABLE** | stress-temperature");
        assertThat(rows.get(3)).startsWith("| **UNSTABLE** | vllm-vs-baseline").contains("| 3600 tokens/s |");
        assertThat(rows.get(4)).startsWith("| skip | dcgm");
        assertThat(rows.get(5)).startsWith("| ok | gpu-count");
        assertThat(rows).hasSize(10); // 5 rows that did not pass, and 5 passed gates on one line each
        // The passed entities of gpu-model are one line.
        assertThat(rows).anySatisfy(r -> assertThat(r).startsWith("| ok | gpu-model (gpu[0], gpu[2], gpu[3])"));
        // Every row has the header's number of cells, whatever the tool output contained.
        int cells = count(lines.stream().filter(l -> l.startsWith("| Status")).findFirst().orElseThrow());
        assertThat(rows).allSatisfy(r -> assertThat(count(r)).isEqualTo(cells));
        assertThat(md).doesNotContain("<script").doesNotContain("<img").contains("&lt;script>");
    }

    @Test
    void cellsStayOnOneLineAndNeverOpenATag() {
        assertThat(MarkdownReport.cell("a|b\nc <b> 1 < 2 `x`")).isEqualTo("a\\|b c &lt;b> 1 < 2 \\`x\\`");
    }

    /** Cells of a table row: unescaped pipes minus one. */
    private static int count(String row) {
        int n = 0;
        for (int i = 0; i < row.length(); i++) {
            if (row.charAt(i) == '|' && (i == 0 || row.charAt(i - 1) != '\\')) {
                n++;
            }
        }
        return n - 1;
    }
}
