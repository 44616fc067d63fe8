package io.vaultcube.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static LineReader reader(byte[] bytes) {
        return new LineReader(new ByteArrayInputStream(bytes), "in.txt");
    }

    private static LineReader reader(String text) {
        return reader(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> lines(LineReader r) throws Exception {
        List<String> out = new ArrayList<>();
        while (r.next()) {
            out.add(r.lineNumber() + ":" + r.text());
        }
        return out;
    }

    @Test
    void splitsOnNewlinesAndNumbersLinesFromOne() throws Exception {
        assertThat(lines(reader("a\nbb\n\nccc\n"))).containsExactly("1:a", "2:bb", "3:", "4:ccc");
    }

    @Test
    void keepsALastLineWithoutNewline() throws Exception {
        assertThat(lines(reader("a\nlast"))).containsExactly("1:a", "2:last");
    }

    @Test
    void stripsOneCarriageReturnBeforeTheNewline() throws Exception {
        assertThat(lines(reader("a\r\nb\r\r\nc\r"))).containsExactly("1:a", "2:b\r", "3:c");
    }

    @Test
    void emptyInputIsRefused() {
        assertThatThrownBy(() -> reader("").next()).isInstanceOf(ParseException.class).hasMessageContaining("empty");
    }

    @Test
    void aNulByteIsBinaryDataWithItsLine() {
        assertThatThrownBy(() -> lines(reader("ok\nalso ok\nbad\0byte\n")))
                .isInstanceOf(ParseException.class)
                .hasMessageStartingWith("in.txt:3: binary data");
    }

    @Test
    void invalidUtf8IsBinaryData() {
        byte[][] bad = {
            {'a', (byte) 0xff, '\n'},                 // never valid
            {'a', (byte) 0xc0, (byte) 0xaf, '\n'},    // overlong '/'
            {(byte) 0xed, (byte) 0xa0, (byte) 0x80},  // a UTF-16 surrogate
            {(byte) 0xe2, (byte) 0x82},               // cut short at the end of the file
            {(byte) 0xc3, 'x', '\n'},                 // lead byte without continuation
            {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        };
        for (byte[] b : bad) {
            assertThatThrownBy(() -> lines(reader(b))).as(Arrays.toString(b))
                    .isInstanceOf(ParseException.class).hasMessageContaining("binary data");
        }
    }

    @Test
    void validUtf8IsText() throws Exception {
        assertThat(lines(reader("température 71 °C ✓ 😀\n"))).containsExactly("1:température 71 °C ✓ 😀");
    }

    @Test
    void readsLinesLongerThanOneBlockAndCharactersSplitAcrossBlocks() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            sb.append("é");
        }
        String longLine = sb.toString(); // 100,000 bytes: crosses the 64 KiB blocks
        List<String> got = lines(reader("x\n" + longLine + "\ny\n"));
        assertThat(got).hasSize(3);
        assertThat(got.get(1)).isEqualTo("2:" + longLine);
        assertThat(got.get(2)).isEqualTo("3:y");
    }

    @Test
    void refusesALineOverTheLimitWithoutReadingItAll() {
        byte[] big = new byte[3 << 20];
        Arrays.fill(big, (byte) 'a');
        big[0] = 'b';
        big[1] = '\n';
        assertThatThrownBy(() -> lines(reader(big)))
                .isInstanceOf(ParseException.class)
                .hasMessageStartingWith("in.txt:2: line longer than 1 MiB");
    }

    @Test
    void acceptsALineExactlyAtTheLimit() throws Exception {
        byte[] b = new byte[1000];
        Arrays.fill(b, (byte) 'x');
        b[999] = '\n';
        LineReader r = new LineReader(new ByteArrayInputStream(b), "in", 999, LineReader.Mode.LINES);
        assertThat(r.next()).isTrue();
        assertThat(r.length()).isEqualTo(999);
        LineReader small = new LineReader(new ByteArrayInputStream(b), "in", 998, LineReader.Mode.LINES);
        assertThatThrownBy(small::next).isInstanceOf(ParseException.class).hasMessageContaining("longer than");
    }

    @Test
    void crSegmentsSplitProgressRedrawsButKeepLineNumbers() throws Exception {
        LineReader r = new LineReader(new ByteArrayInputStream("head\n10%\r20%\r30%\r\ndone\r\n".getBytes(StandardCharsets.US_ASCII)),
                "burn.log", 1 << 20, LineReader.Mode.CR_SEGMENTS);
        assertThat(lines(r)).containsExactly("1:head", "2:10%", "2:20%", "2:30%", "3:done");
    }

    @Test
    void bytesViewMatchesTheText() throws Exception {
        LineReader r = reader("  12.5, 0x04\n");
        assertThat(r.next()).isTrue();
        assertThat(new String(r.bytes(), r.start(), r.length(), StandardCharsets.UTF_8)).isEqualTo("  12.5, 0x04");
        assertThat(r.startsWith("  12")).isTrue();
        assertThat(r.isBlank()).isFalse();
    }
}
