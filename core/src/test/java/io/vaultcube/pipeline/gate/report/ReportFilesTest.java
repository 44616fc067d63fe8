package io.vaultcube.pipeline.gate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheWholeFileAndItsDirectoriesAndLeavesNoTemporaryFile() throws Exception {
        Path report = tmp.resolve("a/b/report.json");
        ReportFiles.write(report, "{}\n");
        assertThat(report).hasContent("{}");
        try (var files = Files.list(report.getParent())) {
            assertThat(files).containsExactly(report);
        }
    }

    @Test
    void aFailureNamesTheFileAskedForNotTheTemporaryFile() throws Exception {
        Files.createDirectory(tmp.resolve(".report.html.tmp"));
        Path report = tmp.resolve("report.html");
        assertThatThrownBy(() -> ReportFiles.write(report, "x")).isInstanceOf(IOException.class)
                .hasMessage("cannot write " + report + ": Is a directory");

        Path file = Files.writeString(tmp.resolve("file.txt"), "x");
        Path under = file.resolve("report.html");
        assertThatThrownBy(() -> ReportFiles.write(under, "x")).isInstanceOf(IOException.class)
                .hasMessage("cannot write " + under + ": a file is in the way (" + file + ")");
    }
}
