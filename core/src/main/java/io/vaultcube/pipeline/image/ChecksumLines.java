package io.vaultcube.pipeline.image;

/**
 * The line format of coreutils {@code sha256sum} (GNU coreutils 9.1, Debian 12), written and read
 * byte for byte the way that version does it.
 *
 * <p>Writing: {@code HEX␠␠NAME} (or {@code SHA256 (NAME) = HEX} with --tag). A name that contains a
 * backslash, a newline or a carriage return is escaped ({@code \\}, {@code \n}, {@code \r}) and the
 * line starts with a backslash.
 *
 * <p>Reading ({@code sha256sum -c}): a port of coreutils' {@code split_3}/{@code bsd_split_3}:
 * leading blanks are skipped; a leading backslash means the name is escaped (only {@code \\},
 * {@code \n}, {@code \r} are valid escapes); the tagged form {@code SHA256 (NAME) = HEX} (the space
 * before "(" optional, blanks around "=" optional); the untagged form {@code HEX␠␠NAME} or
 * {@code HEX␠*NAME}, or the "BSD reversed" form {@code HEX␠NAME}, which coreutils accepts only until
 * a line of the standard form was seen (and then never again), so this parser keeps that state.
 * The digest is exactly 64 hex digits of either case.
 */
public final class ChecksumLines {
    /** coreutils' MIN_DIGEST_LINE_LENGTH: digest, one blank, a name of at least one character. */
    private static final int MIN_DIGEST_LINE_LENGTH = Sha256.HEX_LENGTH + 2;
    private static final String TAG = "SHA256";

    private ChecksumLines() {
    }

    /** True when coreutils escapes this name in the lines it writes. */
    public static boolean needsEscape(String name) {
        return name.indexOf('\\') >= 0 || name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0;
    }

    /** One line of {@code sha256sum FILE} output, without its newline. */
    public static String format(String sha256, String name, boolean tagged) {
        String hex = Sha256.canonical(sha256);
        boolean escape = needsEscape(name);
        String shown = escape ? escape(name) : name;
        String prefix = escape ? "\\" : "";
        return tagged ? prefix + TAG + " (" + shown + ") = " + hex : prefix + hex + "  " + shown;
    }

    /**
     * The name as {@code sha256sum -c} 9.1 prints it before ": OK": escaped (with a leading
     * backslash) only when it holds a newline. (Later coreutils also escape for a backslash or a
     * carriage return; 9.1 does not.)
     */
    public static String checkedName(String name) {
        return name.indexOf('\n') >= 0 ? "\\" + escape(name) : name;
    }

    /** A name on one line, for messages: escaped as in a checksum line when it has to be. */
    public static String oneLine(String name) {
        return needsEscape(name) ? escape(name) : name;
    }

    static String escape(String name) {
        StringBuilder b = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\\' -> b.append("\\\\");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The name an escaped field stands for, or null when the escapes are invalid. */
    static String unescape(String field) {
        StringBuilder b = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\') {
                if (i == field.length() - 1) {
                    return null;
                }
                char next = field.charAt(++i);
                switch (next) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case '\\' -> b.append('\\');
                    default -> {
                        return null;
                    }
                }
            } else if (c == '\0') {
                return null;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * One well-formed line of a checksum file.
     *
     * @param sha256 the digest as written (either case)
     * @param name the file name, unescaped
     */
    public record Entry(String sha256, String name) {
    }

    /**
     * Reads the lines of one {@code sha256sum -c} run. Stateful, as coreutils is: the "BSD reversed"
     * form is refused once a standard line was accepted and vice versa, across all check files of
     * the run. Not thread-safe.
     */
    public static final class Parser {
        /** -1 undecided, 0 standard form seen, 1 "BSD reversed" form seen. */
        private int bsdReversed = -1;

        /**
         * Parses one line: its trailing newline and then one carriage return are already removed,
         * and it is neither empty nor a comment. Returns null for an improperly formatted line.
         */
        public Entry parse(String s) {
            int len = s.length();
            int i = 0;
            while (i < len && isWhite(s.charAt(i))) {
                i++;
            }
            boolean escaped = false;
            if (i < len && s.charAt(i) == '\\') {
                i++;
                escaped = true;
            }
            if (s.startsWith(TAG, i)) {
                i += TAG.length();
                if (i < len && s.charAt(i) == ' ') {
                    i++;
                }
                if (i < len && s.charAt(i) == '(') {
                    return bsdSplit(s.substring(i + 1), escaped);
                }
                return null;
            }
            // coreutils: "s_len - i < min_digest_line_length + (s[i] == '\\')".
            if (len - i < MIN_DIGEST_LINE_LENGTH + (i < len && s.charAt(i) == '\\' ? 1 : 0)) {
                return null;
            }
            int digestStart = i;
            while (i < len && !isWhite(s.charAt(i))) {
                i++;
            }
            if (i == len) {
                return null;
            }
            String digest = s.substring(digestStart, i);
            i++;
            if (!Sha256.isHex(digest)) {
                return null;
            }
            if (len - i == 1 || (s.charAt(i) != ' ' && s.charAt(i) != '*')) {
                if (bsdReversed == 0) {
                    return null;
                }
                bsdReversed = 1;
            } else if (bsdReversed != 1) {
                bsdReversed = 0;
                i++;
            }
            String name = s.substring(i);
            if (escaped) {
                name = unescape(name);
                if (name == null) {
                    return null;
                }
            }
            if (name.indexOf('\0') >= 0) {
                return null;
            }
            return new Entry(digest, name);
        }

        private static Entry bsdSplit(String s, boolean escaped) {
            int len = s.length();
            if (len == 0) {
                return null;
            }
            int i = len - 1;
            while (i > 0 && s.charAt(i) != ')') {
                i--;
            }
            if (s.charAt(i) != ')') {
                return null;
            }
            String name = s.substring(0, i);
            if (escaped) {
                name = unescape(name);
                if (name == null) {
                    return null;
                }
            }
            i++;
            while (i < len && isWhite(s.charAt(i))) {
                i++;
            }
            if (i >= len || s.charAt(i) != '=') {
                return null;
            }
            i++;
            while (i < len && isWhite(s.charAt(i))) {
                i++;
            }
            String digest = s.substring(i);
            return Sha256.isHex(digest) && name.indexOf('\0') < 0 ? new Entry(digest, name) : null;
        }

        private static boolean isWhite(char c) {
            return c == ' ' || c == '\t';
        }
    }
}
