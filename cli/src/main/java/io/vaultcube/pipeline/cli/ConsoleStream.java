package io.vaultcube.pipeline.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a runner writes for the person, decoded as UTF-8 onto the command's output writer
 * (which tests replace). A character split across two writes is kept until its last byte comes;
 * bytes that are not UTF-8 show as U+FFFD.
 */
final class ConsoleStream extends OutputStream {
    private final PrintWriter out;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);
    private final CharBuffer chars = CharBuffer.allocate(8192);

    ConsoleStream(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + length);
        in.put(pending).put(bytes, offset, length).flip();
        while (true) {
            chars.clear();
            var result = decoder.decode(in, chars, false);
            chars.flip();
            out.append(chars);
            if (!result.isOverflow()) {
                break;
            }
        }
        pending = in.slice();
    }

    @Override
    public synchronized void flush() {
        out.flush();
    }

    @Override
    public synchronized void close() {
        flush();
    }
}
