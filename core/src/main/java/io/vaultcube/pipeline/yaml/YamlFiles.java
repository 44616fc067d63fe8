package io.vaultcube.pipeline.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a policy or pipeline file with its size bounded before any parsing: SnakeYAML scans a long
 * scalar in time quadratic in its length, and a file of gigabytes would exhaust the heap, so a file
 * over {@link #MAX_BYTES} is refused by its size (from {@code stat} for a regular file, by reading
 * at most one byte past the limit for a pipe or device).
 */
public final class YamlFiles {
    /** 256 KiB: our largest policy is a few KiB; a scalar this long still parses in well under a second. */
    public static final int MAX_BYTES = 256 * 1024;

    private YamlFiles() {
    }

    /**
     * The bytes of {@code path}, at most {@link #MAX_BYTES}.
     *
     * @param document what the file is, for messages: "policy", "pipeline file"
     * @throws YamlException naming the file: missing, unreadable, a directory, or too large
     */
    public static byte[] read(Path path, String document) throws YamlException {
        return read(path, document, MAX_BYTES);
    }

    static byte[] read(Path path, String document, int maxBytes) throws YamlException {
        String shown = path.toString();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new YamlException(shown, 0, 0, noSuch(document));
        } catch (IOException e) {
            throw new YamlException(shown, 0, 0, "cannot read the " + document + ": " + reason(e));
        }
        if (attributes.isRegularFile() && attributes.size() > maxBytes) {
            throw tooLarge(shown, document, attributes.size() + " bytes", maxBytes);
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge(shown, document, "more than " + maxBytes + " bytes", maxBytes);
            }
            return bytes;
        } catch (YamlException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new YamlException(shown, 0, 0, noSuch(document));
        } catch (IOException e) {
            throw new YamlException(shown, 0, 0, "cannot read the " + document + ": " + reason(e));
        }
    }

    private static String noSuch(String document) {
        return "no such " + (document.endsWith(" file") ? document : document + " file");
    }

    private static YamlException tooLarge(String shown, String document, String size, int maxBytes) {
        return new YamlException(shown, 0, 0, "the " + document + " is " + size + "; a " + document
                + " is at most " + (maxBytes >= 1024 ? maxBytes / 1024 + " KiB" : maxBytes + " bytes"));
    }

    /** The JDK's reason without the path it repeats ("/x/y: Permission denied" gives "Permission denied"). */
    private static String reason(IOException e) {
        String reason = e instanceof FileSystemException fse && fse.getReason() != null
                ? fse.getReason() : e.getMessage();
        return reason == null ? e.getClass().getSimpleName() : reason;
    }
}
