package io.vaultcube.pipeline.version;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Python package version as PEP 440 defines it, with its normalisation (case, {@code alpha} →
 * {@code a}, {@code c}/{@code pre}/{@code preview} → {@code rc}, {@code rev}/{@code r}/{@code -N} →
 * post, optional separators, a leading {@code v}) and its ordering: epoch, then the release with
 * trailing zeros ignored ({@code 1.0 == 1.0.0}), then {@code .devN} before pre-releases
 * ({@code a < b < rc}) before the release before {@code .postN}; a local version ({@code +cu128})
 * sorts after the same public version, its segments numbers above text.
 *
 * <p>A string that is not a PEP 440 version (a "legacy" version) is refused: pip refuses them too.
 */
public final class Pep440Version implements Comparable<Pep440Version> {

    // The regular expression of PEP 440's appendix B, in Java syntax.
    private static final Pattern VERSION = Pattern.compile(
            "v?"
            + "(?:(?<epoch>[0-9]+)!)?"
            + "(?<release>[0-9]+(?:\\.[0-9]+)*)"
            + "(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?"
            + "(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?"
            + "(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?"
            + "(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?");

    private final String text;
    private final BigInteger epoch;
    private final List<BigInteger> release;
    /** 0 a, 1 b, 2 rc; -1 none. */
    private final int preKind;
    private final BigInteger pre;
    private final BigInteger post;
    private final BigInteger dev;
    private final List<String> local;

    private Pep440Version(String text, BigInteger epoch, List<BigInteger> release, int preKind, BigInteger pre,
            BigInteger post, BigInteger dev, List<String> local) {
        this.text = text;
        this.epoch = epoch;
        this.release = release;
        this.preKind = preKind;
        this.pre = pre;
        this.post = post;
        this.dev = dev;
        this.local = local;
    }

    /** Reads a version; the exception says it is not PEP 440. */
    public static Pep440Version parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no version");
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = VERSION.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a PEP 440 version");
        }
        BigInteger epoch = m.group("epoch") == null ? BigInteger.ZERO : new BigInteger(m.group("epoch"));
        List<BigInteger> release = new ArrayList<>();
        for (String part : m.group("release").split("\\.")) {
            release.add(new BigInteger(part));
        }
        int preKind = -1;
        BigInteger pre = null;
        if (m.group("pre") != null) {
            preKind = switch (m.group("preL")) {
                case "a", "alpha" -> 0;
                case "b", "beta" -> 1;
                default -> 2; // rc, c, pre, preview
            };
            pre = number(m.group("preN"));
        }
        BigInteger post = null;
        if (m.group("post") != null) {
            post = number(m.group("postN1") != null ? m.group("postN1") : m.group("postN2"));
        }
        BigInteger dev = m.group("dev") == null ? null : number(m.group("devN"));
        List<String> local = m.group("local") == null ? List.of() : List.of(m.group("local").split("[-_.]"));
        return new Pep440Version(text, epoch, List.copyOf(release), preKind, pre, post, dev, local);
    }

    private static BigInteger number(String digits) {
        return digits == null ? BigInteger.ZERO : new BigInteger(digits);
    }

    /** True when {@code text} is a PEP 440 version. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Compares two version strings by PEP 440 (both must be valid). */
    public static int compare(String a, String b) {
        return parse(a).compareTo(parse(b));
    }

    public boolean isPreRelease() {
        return preKind >= 0 || dev != null;
    }

    @Override
    public int compareTo(Pep440Version o) {
        int c = epoch.compareTo(o.epoch);
        if (c != 0) {
            return Integer.signum(c);
        }
        c = compareRelease(release, o.release);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(preRank(), o.preRank());
        if (c != 0) {
            return c;
        }
        if (preKind >= 0) {
            c = pre.compareTo(o.pre);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        // No post-release sorts before any post-release.
        c = compareAbsentFirst(post, o.post);
        if (c != 0) {
            return c;
        }
        // No dev-release sorts after any dev-release.
        c = compareAbsentLast(dev, o.dev);
        if (c != 0) {
            return c;
        }
        return compareLocal(local, o.local);
    }

    /**
     * Where the pre-release puts the version among those of the same release: a bare {@code .devN}
     * (no pre, no post) before every pre-release, then a, b, rc, then the release itself.
     */
    private int preRank() {
        if (preKind < 0 && post == null && dev != null) {
            return -1;
        }
        return preKind < 0 ? 3 : preKind;
    }

    private static int compareRelease(List<BigInteger> a, List<BigInteger> b) {
        int n = Math.max(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
            BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
            int c = x.compareTo(y);
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return 0;
    }

    private static int compareAbsentFirst(BigInteger a, BigInteger b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return Integer.signum(a.compareTo(b));
    }

    private static int compareAbsentLast(BigInteger a, BigInteger b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        return Integer.signum(a.compareTo(b));
    }

    /** Local segments: numbers compare as numbers and above text; a longer local wins a tie. */
    private static int compareLocal(List<String> a, List<String> b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            String x = a.get(i);
            String y = b.get(i);
            boolean xn = x.chars().allMatch(Character::isDigit);
            boolean yn = y.chars().allMatch(Character::isDigit);
            int c;
            if (xn && yn) {
                c = new BigInteger(x).compareTo(new BigInteger(y));
            } else if (xn != yn) {
                c = xn ? 1 : -1;
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) {
                return Integer.signum(c);
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Pep440Version v && compareTo(v) == 0;
    }

    @Override
    public int hashCode() {
        // Trailing zeros of the release do not count (1.0 == 1.0.0).
        List<BigInteger> r = new ArrayList<>(release);
        while (!r.isEmpty() && r.get(r.size() - 1).signum() == 0) {
            r.remove(r.size() - 1);
        }
        return Objects.hash(epoch, r, preKind, pre, post, dev,
                local.stream().map(s -> s.chars().allMatch(Character::isDigit) ? new BigInteger(s).toString() : s).toList());
    }

    @Override
    public String toString() {
        return text;
    }
}
