package io.vaultcube.pipeline.run.packer;

import java.util.ArrayList;
import java.util.List;

/**
 * A small HCL2 lexer and structure reader: just enough to find, in Packer templates and
 * {@code .pkrvars.hcl} files, which variables are {@code sensitive = true} and which string values
 * are assigned to them. It understands blocks, attributes, quoted strings (escapes,
 * {@code ${...}} interpolations with nested strings, {@code $${} and {@code %%{}), heredocs
 * ({@code <<EOF}, {@code <<-EOF}) and the three comment styles. It is not an HCL evaluator: an
 * expression's string literals are collected as written (the literal parts of an interpolated
 * string), which is what masking needs.
 */
final class HclScanner {
    enum Kind { IDENT, STRING, LBRACE, RBRACE, OPEN, CLOSE, EQUALS, NEWLINE, OTHER, EOF }

    /** A token; {@code text} is the identifier, the unescaped string value, or the character. */
    record Token(Kind kind, String text, int line) {
    }

    /** An attribute {@code name = expression} with the string literals of its expression. */
    record Attribute(String name, List<String> strings, String firstToken, int line) {
    }

    /** A block {@code type "label"... { body }}. */
    record Block(String type, List<String> labels, List<Attribute> attributes, List<Block> blocks, int line) {
    }

    /** The top level of a file, read as a block body. */
    record Body(List<Attribute> attributes, List<Block> blocks) {
    }

    private final String src;
    private int pos;
    private int line = 1;
    private final List<Token> tokens = new ArrayList<>();
    private int next;

    private HclScanner(String src) {
        this.src = src;
    }

    /** Reads a file's structure; throws {@link IllegalArgumentException} with the line on text it cannot read. */
    static Body read(String text) {
        HclScanner s = new HclScanner(text);
        s.lex();
        Body body = s.body(false);
        return body;
    }

    // ---- structure -------------------------------------------------------------------------

    private Body body(boolean nested) {
        List<Attribute> attributes = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.kind == Kind.NEWLINE) {
                next++;
                continue;
            }
            if (t.kind == Kind.EOF) {
                if (nested) {
                    throw error(t, "unexpected end of file inside a block");
                }
                return new Body(attributes, blocks);
            }
            if (t.kind == Kind.RBRACE) {
                if (!nested) {
                    throw error(t, "unexpected '}'");
                }
                return new Body(attributes, blocks);
            }
            if (t.kind != Kind.IDENT) {
                throw error(t, "expected an attribute or a block, found '" + t.text + "'");
            }
            next++;
            Token after = peek();
            if (after.kind == Kind.EQUALS) {
                next++;
                attributes.add(attribute(t));
            } else {
                List<String> labels = new ArrayList<>();
                while (peek().kind == Kind.STRING || peek().kind == Kind.IDENT) {
                    labels.add(peek().text);
                    next++;
                }
                Token open = peek();
                if (open.kind != Kind.LBRACE) {
                    throw error(open, "expected '{' after block " + t.text);
                }
                next++;
                Body inner = body(true);
                next++; // the closing brace
                blocks.add(new Block(t.text, List.copyOf(labels), inner.attributes, inner.blocks, t.line));
            }
        }
    }

    /** An expression runs to the end of the line, or further while brackets are open. */
    private Attribute attribute(Token name) {
        List<String> strings = new ArrayList<>();
        String firstToken = null;
        int depth = 0;
        while (true) {
            Token t = peek();
            if (t.kind == Kind.EOF) {
                if (depth > 0) {
                    throw error(t, "unexpected end of file in the value of " + name.text);
                }
                break;
            }
            if (depth == 0 && (t.kind == Kind.NEWLINE || t.kind == Kind.RBRACE)) {
                break;
            }
            next++;
            if (firstToken == null) {
                firstToken = t.kind == Kind.STRING ? "\"" : t.text;
            }
            switch (t.kind) {
                case LBRACE, OPEN -> depth++;
                case RBRACE, CLOSE -> depth--;
                case STRING -> strings.add(t.text);
                default -> {
                }
            }
        }
        return new Attribute(name.text, List.copyOf(strings), firstToken == null ? "" : firstToken, name.line);
    }

    private Token peek() {
        return tokens.get(next);
    }

    private static IllegalArgumentException error(Token t, String message) {
        return new IllegalArgumentException("line " + t.line + ": " + message);
    }

    // ---- lexer -----------------------------------------------------------------------------

    private void lex() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                add(Kind.NEWLINE, "\n");
                pos++;
                line++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else if (c == '#' || (c == '/' && peekChar(1) == '/')) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && peekChar(1) == '*') {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw new IllegalArgumentException("line " + line + ": unterminated /* comment");
                }
                countLines(pos, end + 2);
                pos = end + 2;
            } else if (c == '"') {
                int startLine = line;
                pos++;
                add(Kind.STRING, quoted(), startLine);
            } else if (c == '<' && peekChar(1) == '<' && (Character.isLetter(peekChar(2))
                    || (peekChar(2) == '-' && Character.isLetter(peekChar(3))))) {
                int startLine = line;
                add(Kind.STRING, heredoc(), startLine);
            } else if (c == '{') {
                add(Kind.LBRACE, "{");
                pos++;
            } else if (c == '}') {
                add(Kind.RBRACE, "}");
                pos++;
            } else if (c == '[' || c == '(') {
                add(Kind.OPEN, String.valueOf(c));
                pos++;
            } else if (c == ']' || c == ')') {
                add(Kind.CLOSE, String.valueOf(c));
                pos++;
            } else if (c == '=' && peekChar(1) != '=' && peekChar(1) != '>') {
                add(Kind.EQUALS, "=");
                pos++;
            } else if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
                        || src.charAt(pos) == '-')) {
                    pos++;
                }
                add(Kind.IDENT, src.substring(start, pos));
            } else {
                add(Kind.OTHER, String.valueOf(c));
                pos++;
            }
        }
        add(Kind.EOF, "");
    }

    /** A quoted string after its opening quote; returns its value (literal parts of interpolations). */
    private String quoted() {
        StringBuilder out = new StringBuilder();
        int startLine = line;
        while (true) {
            if (pos >= src.length()) {
                throw new IllegalArgumentException("line " + startLine + ": unterminated string");
            }
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                return out.toString();
            }
            if (c == '\n') {
                throw new IllegalArgumentException("line " + line + ": unterminated string");
            }
            if (c == '\\') {
                pos++;
                out.append(escape());
            } else if ((c == '$' || c == '%') && peekChar(1) == c && peekChar(2) == '{') {
                out.append(c).append('{');
                pos += 3;
            } else if ((c == '$' || c == '%') && peekChar(1) == '{') {
                pos += 2;
                skipTemplate();
            } else {
                out.append(c);
                pos++;
            }
        }
    }

    /** Skips the inside of {@code ${...}} or {@code %{...}}, nested strings and braces included. */
    private void skipTemplate() {
        int depth = 1;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '"') {
                pos++;
                quoted();
                continue;
            }
            if (c == '\n') {
                line++;
            }
            pos++;
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return;
            }
        }
        throw new IllegalArgumentException("line " + line + ": unterminated ${ in a string");
    }

    private String escape() {
        if (pos >= src.length()) {
            throw new IllegalArgumentException("line " + line + ": unterminated escape");
        }
        char e = src.charAt(pos++);
        switch (e) {
            case 'n':
                return "\n";
            case 'r':
                return "\r";
            case 't':
                return "\t";
            case '"':
                return "\"";
            case '\\':
                return "\\";
            case 'u':
                return codePoint(4);
            case 'U':
                return codePoint(8);
            default:
                throw new IllegalArgumentException("line " + line + ": invalid escape \\" + e);
        }
    }

    private String codePoint(int digits) {
        if (pos + digits > src.length()) {
            throw new IllegalArgumentException("line " + line + ": short unicode escape");
        }
        try {
            int cp = Integer.parseInt(src.substring(pos, pos + digits), 16);
            pos += digits;
            return new String(Character.toChars(cp));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + line + ": invalid unicode escape", e);
        }
    }

    /** {@code <<MARKER} or {@code <<-MARKER} up to a line holding only the marker. */
    private String heredoc() {
        pos += 2;
        boolean indented = src.charAt(pos) == '-';
        if (indented) {
            pos++;
        }
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
        String marker = src.substring(start, pos);
        int eol = src.indexOf('\n', pos);
        if (eol < 0) {
            throw new IllegalArgumentException("line " + line + ": unterminated heredoc " + marker);
        }
        pos = eol + 1;
        line++;
        List<String> lines = new ArrayList<>();
        while (true) {
            if (pos >= src.length()) {
                throw new IllegalArgumentException("unterminated heredoc " + marker);
            }
            int end = src.indexOf('\n', pos);
            String text = end < 0 ? src.substring(pos) : src.substring(pos, end);
            String bare = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            pos = end < 0 ? src.length() : end;
            if (bare.strip().equals(marker)) {
                break;
            }
            lines.add(bare);
            pos++;
            line++;
        }
        if (indented) {
            int strip = Integer.MAX_VALUE;
            for (String l : lines) {
                if (!l.isBlank()) {
                    int n = 0;
                    while (n < l.length() && (l.charAt(n) == ' ' || l.charAt(n) == '\t')) {
                        n++;
                    }
                    strip = Math.min(strip, n);
                }
            }
            List<String> stripped = new ArrayList<>();
            for (String l : lines) {
                stripped.add(l.length() >= strip && strip != Integer.MAX_VALUE ? l.substring(strip) : l.strip());
            }
            lines = stripped;
        }
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l).append('\n');
        }
        return out.toString();
    }

    private char peekChar(int ahead) {
        int at = pos + ahead;
        return at < src.length() ? src.charAt(at) : '\0';
    }

    private void countLines(int from, int to) {
        for (int i = from; i < to; i++) {
            if (src.charAt(i) == '\n') {
                line++;
            }
        }
    }

    private void add(Kind kind, String text) {
        tokens.add(new Token(kind, text, line));
    }

    private void add(Kind kind, String text, int atLine) {
        tokens.add(new Token(kind, text, atLine));
    }
}
