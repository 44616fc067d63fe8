package io.vaultcube.pipeline.run;

/**
 * Makes text from a tool (a task or host name, a GPU name, a message) safe to print in one of
 * vault's own console lines: a control character there could clear the person's terminal, move
 * the cursor over earlier lines or forge a line of vault's. Tab stays; ESC becomes {@code \e},
 * carriage return {@code \r}, every other C0 character, DEL and every C1 character {@code \xHH}
 * (C1 as its code point, {@code \x9b} for CSI). A newline is kept in {@link #escapeLines} (a
 * message of several lines, Packer's diagnostics) with the next line indented, so that no line of
 * it starts where vault's own lines start; {@link #escapeControls} writes it as {@code \n}. The
 * tool's own output, streamed as it comes, is not changed (docs/runners.md, "Stopping a tool").
 */
public final class ConsoleText {
    private ConsoleText() {
    }

    /** Like {@link #escapeControls}, but a newline stays one, followed by two spaces. */
    public static String escapeLines(String text) {
        return escapeJoined(text, "\n  ");
    }

    /** Like {@link #escapeControls}, but newlines stay (a text of many lines: a report on a terminal). */
    public static String escapeExceptNewlines(String text) {
        return escapeJoined(text, "\n");
    }

    /** Each line escaped, joined again by {@code newline}. */
    private static String escapeJoined(String text, String newline) {
        if (text == null || firstControl(text) < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            out.append(i == 0 ? "" : newline).append(escapeControls(lines[i]));
        }
        return out.toString();
    }

    /** The text with its control characters written out; the same string when it has none. */
    public static String escapeControls(String text) {
        if (text == null) {
            return null;
        }
        int first = firstControl(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                out.append(c);
            } else if (c == 0x1b) {
                out.append("\\e");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else {
                out.append(String.format("\\x%02x", (int) c));
            }
        }
        return out.toString();
    }

    private static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }
}
