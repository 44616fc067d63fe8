package io.vaultcube.pipeline.version;

/**
 * How a version string is ordered: Debian packages (and the kernel, the NVIDIA driver, CUDA and
 * the other inventory versions, which are dotted numbers that dpkg's order handles) by dpkg's
 * rules, Python packages by PEP 440.
 */
public enum VersionScheme {
    DEBIAN("debian") {
        @Override
        public int compare(String a, String b) {
            return DebianVersion.compare(a, b);
        }

        @Override
        public void check(String version) {
            DebianVersion.parse(version);
        }
    },
    PEP440("pep440") {
        @Override
        public int compare(String a, String b) {
            return Pep440Version.compare(a, b);
        }

        @Override
        public void check(String version) {
            Pep440Version.parse(version);
        }
    };

    private final String id;

    VersionScheme(String id) {
        this.id = id;
    }

    /** The name a policy writes ({@code debian}, {@code pep440}). */
    public String id() {
        return id;
    }

    /** Negative, zero or positive as {@code a} orders before, with or after {@code b}. */
    public abstract int compare(String a, String b);

    /** Throws {@link IllegalArgumentException}, with the reason, when {@code version} is not of this scheme. */
    public abstract void check(String version);

    public static VersionScheme byId(String id) {
        for (VersionScheme s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown version scheme '" + id + "' (debian or pep440)");
    }
}
