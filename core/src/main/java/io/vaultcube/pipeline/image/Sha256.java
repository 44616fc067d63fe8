package io.vaultcube.pipeline.image;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SHA-256 helpers. {@link MessageDigest} "SHA-256" of the JDK uses the CPU's SHA instructions
 * (the HotSpot intrinsic behind {@code -XX:+UseSHA256Intrinsics}) where the CPU has them.
 */
public final class Sha256 {
    /** Length of a digest written as hexadecimal digits. */
    public static final int HEX_LENGTH = 64;

    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    /** Lower-case hexadecimal, as sha256sum prints it. */
    public static String hex(byte[] digest) {
        return HEX.formatHex(digest);
    }

    public static String of(byte[] bytes) {
        return hex(newDigest().digest(bytes));
    }

    public static String of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    /** True for exactly 64 hexadecimal digits of either case (sha256sum -c accepts both). */
    public static boolean isHex(String s) {
        if (s == null || s.length() != HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return false;
            }
        }
        return true;
    }

    /** The canonical (lower-case) form of a hex digest; rejects anything that is not one. */
    public static String canonical(String hex) {
        if (!isHex(hex)) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: '" + hex + "'");
        }
        return hex.toLowerCase(Locale.ROOT);
    }
}
