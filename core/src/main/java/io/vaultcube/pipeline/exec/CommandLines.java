package io.vaultcube.pipeline.exec;

import java.util.List;
import java.util.regex.Pattern;

/** Renders an argv list for people to read. Never used to run anything. */
public final class CommandLines {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./*-]+");

    private CommandLines() {
    }

    /** The argv, masked, each argument quoted the way a POSIX shell would need it. */
    public static String display(List<String> argv, SecretMasker masker) {
        StringBuilder out = new StringBuilder();
        for (String arg : argv) {
            if (out.length() > 0) {
                out.append(' ');
            }
            String masked = masker.mask(arg);
            if (!masked.isEmpty() && PLAIN.matcher(masked).matches()) {
                out.append(masked);
            } else {
                out.append('\'').append(masked.replace("'", "'\\''")).append('\'');
            }
        }
        return out.toString();
    }
}
