package io.vaultcube.pipeline.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * However a child's output is split into reads, no registered secret reaches the console or a
 * listener, and masking the stream gives the same text as masking the whole output at once.
 */
class OutputMaskingPropertiesTest {

    @Property(tries = 300)
    void noSecretSurvivesAnyChunking(
            @ForAll("texts") String prefix,
            @ForAll("secrets") String secret,
            @ForAll("texts") String suffix,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 9) Integer> chunkSizes) {
        String output = prefix + secret + suffix + "\n" + secret + secret + "\r" + prefix;
        SecretMasker masker = SecretMasker.of(List.of(secret));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        List<String> rawLines = new ArrayList<>();
        OutputPump pump = new OutputPump(new ChunkedStream(output.getBytes(StandardCharsets.UTF_8), chunkSizes),
                OutputSource.STDOUT, masker, new OutputPump.OutputSink() {
                    @Override
                    public void console(byte[] bytes, int offset, int length) {
                        console.write(bytes, offset, length);
                    }

                    @Override
                    public void line(OutputSource source, String masked, String raw) {
                        lines.add(masked);
                        rawLines.add(raw);
                    }

                    @Override
                    public boolean wantsRaw() {
                        return true;
                    }
                }, 1 << 20);
        pump.run();

        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain(secret);
        assertThat(String.join("\n", lines)).doesNotContain(secret);
        String expectedConsole = maskPerSegment(output, masker);
        assertThat(printed).isEqualTo(expectedConsole);
        // The parser's copy: exactly what the child wrote, cut at the same line ends as the masked lines.
        // (a line loses its end: "\n", and a "\r" that ends the stream)
        String expectedRaw = output.endsWith("\r") ? output.substring(0, output.length() - 1) : output;
        assertThat(String.join("\n", rawLines)).isEqualTo(expectedRaw);
        assertThat(rawLines).hasSameSizeAs(lines);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(lines.get(i)).isEqualTo(masker.mask(rawLines.get(i)));
        }
    }

    /** Output is masked per segment (up to each \n or \r), which is what a line-based tool sees. */
    private static String maskPerSegment(String output, SecretMasker masker) {
        StringBuilder out = new StringBuilder();
        StringBuilder segment = new StringBuilder();
        for (char c : output.toCharArray()) {
            segment.append(c);
            if (c == '\n' || c == '\r') {
                out.append(masker.mask(segment.toString()));
                segment.setLength(0);
            }
        }
        out.append(masker.mask(segment.toString()));
        return out.toString();
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withChars("abcxyz-=: é").ofMaxLength(20);
    }

    @Provide
    Arbitrary<String> secrets() {
        // Secrets that overlap themselves and the text ("abab", "aaa") are the hard cases.
        return Arbitraries.strings().withChars("abc=é").ofMinLength(1).ofMaxLength(8)
                .filter(s -> !s.isBlank());
    }

    /** An input stream that returns the bytes in the given chunk sizes and says nothing more is ready. */
    static final class ChunkedStream extends InputStream {
        private final byte[] data;
        private final List<Integer> sizes;
        private int position;
        private int next;
        private int chunkEnd;

        ChunkedStream(byte[] data, List<Integer> sizes) {
            this.data = data;
            this.sizes = sizes;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= data.length) {
                return -1;
            }
            int size = Math.min(sizes.get(next++ % sizes.size()), Math.min(len, data.length - position));
            System.arraycopy(data, position, b, off, size);
            position += size;
            chunkEnd = position;
            return size;
        }

        @Override
        public int available() {
            return position == chunkEnd ? 0 : data.length - position;
        }
    }
}
