package io.vaultcube.pipeline.image.repo;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What may be called what in a repository. Image names, versions and channels become directory
 * and link names, so they are plain names that cannot climb out of the repository or hide: a
 * letter or digit first, then letters, digits, {@code . _ + -}, at most 128 characters.
 */
public final class Names {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");
    private static final Set<String> RESERVED_IMAGES = Set.of(RepositoryLayout.AUDIT_LOG);
    private static final Set<String> RESERVED_VERSIONS = Set.of(RepositoryLayout.CHANNELS);
    private static final Set<String> RESERVED_FILES = Set.of(RepositoryLayout.MANIFEST, RepositoryLayout.SUMS);

    private Names() {
    }

    public static String image(String name) {
        check("image name", name);
        if (RESERVED_IMAGES.contains(name)) {
            throw new IllegalArgumentException("image name '" + name + "' is reserved by the repository");
        }
        return name;
    }

    public static String version(String version) {
        check("version", version);
        if (RESERVED_VERSIONS.contains(version)) {
            throw new IllegalArgumentException("version '" + version + "' is reserved (the channels directory)");
        }
        return version;
    }

    public static String channel(String channel) {
        check("channel", channel);
        return channel;
    }

    /** True when {@code name} could be a version (used when reading a repository). */
    public static boolean isVersion(String name) {
        return NAME.matcher(name).matches() && !RESERVED_VERSIONS.contains(name);
    }

    public static boolean isImage(String name) {
        return NAME.matcher(name).matches() && !RESERVED_IMAGES.contains(name);
    }

    public static boolean isChannel(String name) {
        return NAME.matcher(name).matches();
    }

    /**
     * The name of an image file inside a version: any file name (spaces, backslashes, newlines
     * included) but not hidden, not a path, and not the version's own manifest or SHA256SUMS.
     */
    public static String imageFile(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a plain file name: '" + name + "'");
        }
        if (name.startsWith(".")) {
            throw new IllegalArgumentException("image file names may not start with '.': '" + name + "'");
        }
        if (RESERVED_FILES.contains(name)) {
            throw new IllegalArgumentException("image file name '" + name + "' is reserved in a version directory");
        }
        return name;
    }

    private static void check(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + what + " '" + value + "': use letters, digits and . _ + -,"
                    + " starting with a letter or digit, at most 128 characters");
        }
    }
}
