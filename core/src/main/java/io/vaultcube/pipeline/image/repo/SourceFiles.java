package io.vaultcube.pipeline.image.repo;

import io.vaultcube.pipeline.image.ImageManifest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The image files a promotion was given, checked before any repository is touched (both repositories). */
public final class SourceFiles {
    private SourceFiles() {
    }

    /** One image file: its path, its name in the version, and its size and mtime when inspected. */
    public record Source(Path path, String name, long size, FileTime modified) {
    }

    public static List<Source> inspect(List<Path> files) throws IOException {
        List<Source> sources = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Path file : files) {
            Path fileName = file.getFileName();
            if (fileName == null) {
                throw new IllegalArgumentException("not an image file: " + file);
            }
            String name = Names.imageFile(fileName.toString());
            if (!names.add(name)) {
                throw new IllegalArgumentException("two image files are named " + name);
            }
            if (!Files.isRegularFile(file)) {
                // Never opened: a FIFO would block the read and /dev/zero would never end.
                if (Files.isDirectory(file)) {
                    throw new IOException(file + " is a directory, not an image file");
                }
                if (!Files.exists(file)) {
                    throw new NoSuchFileException(file.toString());
                }
                throw new IOException(file + " is not a regular file (a FIFO, device or socket): an image file"
                        + " must be a regular file");
            }
            try (FileChannel probe = FileChannel.open(file, StandardOpenOption.READ)) {
                // Readable: fail now, before the repository is touched.
                probe.size();
            }
            sources.add(new Source(file, name, Files.size(file), Files.getLastModifiedTime(file)));
        }
        return sources;
    }

    /**
     * What differs between the version's files and these by name and size, or null when they match
     * so far (the caller then compares the digests).
     */
    public static String byNameAndSize(ImageManifest existing, List<Source> sources) {
        Map<String, ImageManifest.FileEntry> byName = new HashMap<>();
        existing.files().forEach(f -> byName.put(f.name(), f));
        Set<String> given = new HashSet<>();
        for (Source s : sources) {
            given.add(s.name());
            ImageManifest.FileEntry f = byName.get(s.name());
            if (f == null) {
                return "it has no file " + s.name();
            }
            if (f.size() != s.size()) {
                return s.name() + " has " + s.size() + " bytes, the promoted one " + f.size();
            }
        }
        for (String name : byName.keySet()) {
            if (!given.contains(name)) {
                return "it also has " + name + ", which was not given";
            }
        }
        return null;
    }
}
