package io.vaultcube.pipeline.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A secret given as a file (a password, a token): its content is the value, so it is on no command
 * line. Messages name the file, never the content.
 */
public final class SecretFile {
    /** A secret file is a password or a token, not a disk image: anything bigger is refused. */
    public static final long MAX_BYTES = 1 << 20;

    private SecretFile() {
    }

    /** {@link #read(Path)}, with a refusal that starts with what the value is for ("sensitive variable K"). */
    public static String read(String what, Path file) {
        try {
            return read(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /**
     * The file's content, UTF-8, without one final line end (a file written with {@code echo} or an
     * editor has one; the secret does not).
     *
     * @throws IllegalArgumentException not a regular file, too large, not UTF-8, empty, unreadable
     */
    public static String read(Path file) {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no readable file at " + file);
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(file + " is larger than " + MAX_BYTES
                        + " bytes; a secret file holds one value");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        String value;
        try {
            value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text");
        }
        if (value.endsWith("\r\n")) {
            value = value.substring(0, value.length() - 2);
        } else if (value.endsWith("\n")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        return value;
    }
}
