package io.vaultcube.pipeline.run.packer;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Packer version, from {@code packer -machine-readable version} ({@code ts,,version,1.6.6}). */
record PackerVersion(String text, int major, int minor, int patch) {
    private static final Pattern NUMBERS = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?.*");

    /** The version a version string names, or null when it is not one. */
    static PackerVersion parse(String text) {
        Matcher m = NUMBERS.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        return new PackerVersion(text.trim(), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
    }

    boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || (major == wantMajor && minor >= wantMinor);
    }

    /** {@code packer init} exists from 1.7.0 on (1.6.6 answers it with its usage text and exit 127). */
    boolean hasInit() {
        return atLeast(1, 7);
    }

    /** Packer scrubs sensitive values from machine-readable output only from 1.15.1 on. */
    boolean scrubsSensitiveValues() {
        return major > 1 || (major == 1 && (minor > 15 || (minor == 15 && patch >= 1)));
    }

    @Override
    public String toString() {
        return text;
    }
}
