package io.vaultcube.pipeline.exec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces registered secret values with {@value #MASK} in text and in raw output bytes.
 *
 * <p>A secret that spans several lines (a private key) is registered line by line, because output
 * is masked a line at a time; each of its non-blank lines is masked wherever it appears. Matching
 * is on the UTF-8 bytes, longest secret first, so a secret that contains another is masked whole.
 */
public final class SecretMasker {
    public static final String MASK = "****";
    private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.US_ASCII);
    private static final SecretMasker NONE = new SecretMasker(List.of());

    private final List<byte[]> secrets;
    private final List<String> secretStrings;

    private SecretMasker(List<String> values) {
        this.secretStrings = List.copyOf(values);
        this.secrets = values.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public static SecretMasker none() {
        return NONE;
    }

    /** A masker for the given values; blank values are ignored, multi-line values split into lines. */
    public static SecretMasker of(Collection<String> values) {
        Set<String> pieces = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String line : value.split("\r\n|\r|\n")) {
                if (!line.isBlank()) {
                    pieces.add(line);
                }
            }
        }
        if (pieces.isEmpty()) {
            return NONE;
        }
        List<String> sorted = new ArrayList<>(pieces);
        sorted.sort(Comparator.comparingInt((String s) -> s.getBytes(StandardCharsets.UTF_8).length).reversed());
        return new SecretMasker(sorted);
    }

    /** This masker plus more values. */
    public SecretMasker with(Collection<String> more) {
        List<String> all = new ArrayList<>(secretStrings);
        all.addAll(more);
        return of(all);
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    public String mask(String text) {
        if (secrets.isEmpty() || text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secretStrings) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /** Masks {@code bytes[0..length)}; returns the same array when nothing matched. */
    byte[] mask(byte[] bytes, int length) {
        if (secrets.isEmpty()) {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
        byte[] current = length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        for (byte[] secret : secrets) {
            current = replaceAll(current, secret);
        }
        return current;
    }

    /**
     * The length of the longest suffix of {@code bytes[0..length)} that is a proper prefix of a
     * secret: bytes that must be held back until more output shows whether a secret follows.
     */
    int pendingSecretPrefix(byte[] bytes, int length) {
        int longest = 0;
        for (byte[] secret : secrets) {
            int max = Math.min(secret.length - 1, length);
            for (int k = max; k > longest; k--) {
                if (Arrays.equals(bytes, length - k, length, secret, 0, k)) {
                    longest = k;
                    break;
                }
            }
        }
        return longest;
    }

    /**
     * Where the last whole secret in {@code bytes[0..length)} ends (0 when none), scanning each
     * secret left to right without overlaps, as {@link #mask(byte[], int)} replaces them.
     */
    int lastMatchEnd(byte[] bytes, int length) {
        int last = 0;
        for (byte[] secret : secrets) {
            for (int at = indexOf(bytes, length, secret, 0); at >= 0;
                    at = indexOf(bytes, length, secret, at + secret.length)) {
                last = Math.max(last, at + secret.length);
            }
        }
        return last;
    }

    private static byte[] replaceAll(byte[] haystack, byte[] needle) {
        int first = indexOf(haystack, needle, 0);
        if (first < 0) {
            return haystack;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(haystack.length);
        int from = 0;
        for (int at = first; at >= 0; at = indexOf(haystack, needle, from)) {
            out.write(haystack, from, at - from);
            out.write(MASK_BYTES, 0, MASK_BYTES.length);
            from = at + needle.length;
        }
        out.write(haystack, from, haystack.length - from);
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        return indexOf(haystack, haystack.length, needle, from);
    }

    /** The first index of {@code needle} in {@code haystack[from..length)}, or -1. */
    private static int indexOf(byte[] haystack, int length, byte[] needle, int from) {
        int last = length - needle.length;
        byte head = needle[0];
        for (int i = from; i <= last; i++) {
            if (haystack[i] == head && Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
