package io.vaultcube.pipeline.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleTextTest {
    @Test
    void writesOutEveryControlCharacterButTab() {
        assertThat(ConsoleText.escapeControls("a\u001b[2Jb\tc\u0000d\u007fe\u009bf\rg\nh"))
                .isEqualTo("a\\e[2Jb\tc\\x00d\\x7fe\\x9bf\\rg\\nh");
        assertThat(ConsoleText.escapeControls("plain GPU name: NVIDIA GeForce RTX 5090 – ü")).isEqualTo(
                "plain GPU name: NVIDIA GeForce RTX 5090 – ü");
    }

    @Test
    void aMessageOfSeveralLinesKeepsThemButNoneStartsLikeVaultsOwn() {
        assertThat(ConsoleText.escapeLines("task failed\nvault: provision: SUCCEEDED\u001b[1A"))
                .isEqualTo("task failed\n  vault: provision: SUCCEEDED\\e[1A");
        assertThat(ConsoleText.escapeExceptNewlines("| gpu | \u001b]0;x\u0007 |\n| ok |\n"))
                .isEqualTo("| gpu | \\e]0;x\\x07 |\n| ok |\n");
    }
}
