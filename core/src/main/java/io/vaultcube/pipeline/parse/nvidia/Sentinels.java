package io.vaultcube.pipeline.parse.nvidia;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * nvidia-smi's stand-ins for a value. Missing values ({@code [N/A]}, {@code N/A},
 * {@code [Not Supported]}, {@code [Unknown Error]}, {@code [Insufficient Permissions]},
 * "Requested functionality has been deprecated") leave the metric out. Faults
 * ({@code [GPU requires reset]}, {@code [GPU is lost]}, {@code ERR!}) say the GPU is broken: the
 * parsers refuse the input with the file and line, so no gate can pass on it.
 */
public final class Sentinels {
    public enum Kind { VALUE, MISSING, FAULT }

    private static final String[] MISSING = {
        "[N/A]", "N/A", "[Not Supported]", "[Unknown Error]", "[Insufficient Permissions]",
        "Requested functionality has been deprecated", "-",
    };
    private static final String[] FAULT = {"[GPU requires reset]", "[GPU is lost]", "ERR!"};

    private Sentinels() {
    }

    public static Kind classify(byte[] b, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return Kind.VALUE; // empty: the caller decides (it is not a number)
        }
        byte c = b[from];
        if (c != '[' && c != 'N' && c != 'R' && c != 'E' && c != '-') {
            return Kind.VALUE;
        }
        for (String s : MISSING) {
            if (equals(b, from, to, s)) {
                return Kind.MISSING;
            }
        }
        for (String s : FAULT) {
            if (equals(b, from, to, s)) {
                return Kind.FAULT;
            }
        }
        return Kind.VALUE;
    }

    /** The values that mean "not available" (for the test that compares them with the scripts'). */
    static List<String> missingValues() {
        return List.of(MISSING);
    }

    /** The values that mean a broken GPU. */
    static List<String> faultValues() {
        return List.of(FAULT);
    }

    public static Kind classify(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return classify(b, 0, b.length);
    }

    private static boolean equals(byte[] b, int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[from + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
