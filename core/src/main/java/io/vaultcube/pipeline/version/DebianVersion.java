package io.vaultcube.pipeline.version;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A Debian package version, {@code [epoch:]upstream[-revision]}, ordered as dpkg orders it
 * ({@code dpkg --compare-versions}; Debian Policy §5.6.12): epochs numerically, then the upstream
 * version and the revision each by dpkg's {@code verrevcmp}: alternating non-digit parts compared
 * character by character (a tilde before everything, even the end; letters before other
 * characters) and digit parts compared as numbers. No revision compares like revision {@code 0}
 * ({@code 1.0} equals {@code 1.0-0}), as in dpkg.
 *
 * <p>Reading follows dpkg's {@code parseversion}: an epoch that is not a non-negative number, an
 * empty upstream version or revision, an upstream version that does not start with a digit, or a
 * character Debian Policy does not allow is refused with the reason.
 */
public record DebianVersion(BigInteger epoch, String upstream, String revision) implements Comparable<DebianVersion> {

    public DebianVersion {
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(revision, "revision");
    }

    /** Reads a version; the exception says what is wrong with it. */
    public static DebianVersion parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no version");
        }
        String s = text.strip();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("version string is empty");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                throw new IllegalArgumentException("version string '" + text + "' has embedded spaces");
            }
        }
        BigInteger epoch = BigInteger.ZERO;
        int colon = s.indexOf(':');
        if (colon >= 0) {
            String e = s.substring(0, colon);
            if (e.isEmpty()) {
                throw new IllegalArgumentException("epoch in version '" + text + "' is empty");
            }
            if (!e.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("epoch in version '" + text + "' is not a number");
            }
            epoch = new BigInteger(e);
            s = s.substring(colon + 1);
            if (s.isEmpty()) {
                throw new IllegalArgumentException("nothing after colon in version '" + text + "'");
            }
        }
        String revision = "";
        int dash = s.lastIndexOf('-');
        if (dash >= 0) {
            revision = s.substring(dash + 1);
            s = s.substring(0, dash);
            if (revision.isEmpty()) {
                throw new IllegalArgumentException("revision number in version '" + text + "' is empty");
            }
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("upstream version in '" + text + "' is empty");
        }
        if (!isDigit(s.charAt(0))) {
            throw new IllegalArgumentException("version '" + text + "' does not start with a digit");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isAsciiAlnum(c) && ".-+~:".indexOf(c) < 0) {
                throw new IllegalArgumentException("invalid character '" + c + "' in version '" + text + "'");
            }
        }
        for (int i = 0; i < revision.length(); i++) {
            char c = revision.charAt(i);
            if (!isAsciiAlnum(c) && ".+~".indexOf(c) < 0) {
                throw new IllegalArgumentException("invalid character '" + c + "' in the revision of '" + text + "'");
            }
        }
        return new DebianVersion(epoch, s, revision);
    }

    /** True when {@code text} is a version dpkg reads. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Compares two version strings as {@code dpkg --compare-versions} does (both must be valid). */
    public static int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    @Override
    public int compareTo(DebianVersion other) {
        int c = epoch.compareTo(other.epoch);
        if (c != 0) {
            return Integer.signum(c);
        }
        c = verrevcmp(upstream, other.upstream);
        if (c != 0) {
            return c;
        }
        return verrevcmp(revision, other.revision);
    }

    /** dpkg's verrevcmp, as a signum. */
    static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            // The non-digit prefix, character by character.
            while ((i < a.length() && !isDigit(a.charAt(i))) || (j < b.length() && !isDigit(b.charAt(j)))) {
                int ac = order(a, i);
                int bc = order(b, j);
                if (ac != bc) {
                    return Integer.signum(ac - bc);
                }
                i++;
                j++;
            }
            // The digit run, as a number of any length: skip leading zeros, then the longer run wins,
            // else the first differing digit.
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            int firstDiff = 0;
            while (i < a.length() && isDigit(a.charAt(i)) && j < b.length() && isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (i < a.length() && isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return Integer.signum(firstDiff);
            }
        }
        return 0;
    }

    /** The weight of one character in a non-digit part; the end of the string weighs 0. */
    private static int order(String s, int i) {
        if (i >= s.length()) {
            return 0;
        }
        char c = s.charAt(i);
        if (isDigit(c)) {
            return 0;
        }
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAsciiAlnum(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    @Override
    public String toString() {
        return (epoch.signum() == 0 ? "" : epoch + ":") + upstream + (revision.isEmpty() ? "" : "-" + revision);
    }
}
