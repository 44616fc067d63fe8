package io.vaultcube.pipeline.parse;

import io.vaultcube.pipeline.parse.JsonDocuments.Arr;
import io.vaultcube.pipeline.parse.JsonDocuments.Bool;
import io.vaultcube.pipeline.parse.JsonDocuments.Node;
import io.vaultcube.pipeline.parse.JsonDocuments.Null;
import io.vaultcube.pipeline.parse.JsonDocuments.Num;
import io.vaultcube.pipeline.parse.JsonDocuments.Obj;
import io.vaultcube.pipeline.parse.JsonDocuments.Str;

/**
 * Typed access to a JSON tree for one input: every "missing", "wrong type" or "out of range" is a
 * {@link ParseException} naming the file, the line and the member's path. A {@code null} value is
 * "not measured": optional getters return null for it (the metric is left out), required ones fail.
 */
public final class JsonFields {
    private final String source;

    public JsonFields(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }

    public ParseException error(Node at, String problem) {
        return new ParseException(source, at == null ? 0 : at.line(), problem);
    }

    public Obj object(Node node, String path) throws ParseException {
        if (node instanceof Obj o) {
            return o;
        }
        throw wrongType(node, path, "an object");
    }

    public Arr array(Node node, String path) throws ParseException {
        if (node instanceof Arr a) {
            return a;
        }
        throw wrongType(node, path, "an array");
    }

    /** A required member of any type. */
    public Node require(Obj o, String member, String path) throws ParseException {
        Node n = o.get(member);
        if (n == null) {
            throw new ParseException(source, o.line(), "missing member \"" + member + "\" in " + path);
        }
        if (n instanceof Null) {
            throw new ParseException(source, n.line(), path + "." + member + " is null: a required value is missing");
        }
        return n;
    }

    public Obj requireObject(Obj o, String member, String path) throws ParseException {
        return object(require(o, member, path), path + "." + member);
    }

    public Arr requireArray(Obj o, String member, String path) throws ParseException {
        return array(require(o, member, path), path + "." + member);
    }

    public Num requireNumber(Obj o, String member, String path) throws ParseException {
        Node n = require(o, member, path);
        if (n instanceof Num num) {
            return num;
        }
        throw wrongType(n, path + "." + member, "a number");
    }

    /** A required whole number, at least {@code min}. */
    public Num requireCount(Obj o, String member, String path, long min) throws ParseException {
        Num n = requireNumber(o, member, path);
        if (n.value() != Math.rint(n.value()) || n.value() < min) {
            throw new ParseException(source, n.line(),
                    path + "." + member + " must be a whole number of at least " + min + ", not " + n.text());
        }
        return n;
    }

    public Str requireString(Obj o, String member, String path) throws ParseException {
        Node n = require(o, member, path);
        if (n instanceof Str s) {
            return s;
        }
        throw wrongType(n, path + "." + member, "a string");
    }

    public Bool requireBool(Obj o, String member, String path) throws ParseException {
        Node n = require(o, member, path);
        if (n instanceof Bool b) {
            return b;
        }
        throw wrongType(n, path + "." + member, "a boolean");
    }

    /** An optional number: null when absent or null; an error when of another type. */
    public Num optionalNumber(Obj o, String member, String path) throws ParseException {
        Node n = o.get(member);
        if (n == null || n instanceof Null) {
            return null;
        }
        if (n instanceof Num num) {
            return num;
        }
        throw wrongType(n, path + "." + member, "a number");
    }

    public Str optionalString(Obj o, String member, String path) throws ParseException {
        Node n = o.get(member);
        if (n == null || n instanceof Null) {
            return null;
        }
        if (n instanceof Str s) {
            return s;
        }
        throw wrongType(n, path + "." + member, "a string");
    }

    public Bool optionalBool(Obj o, String member, String path) throws ParseException {
        Node n = o.get(member);
        if (n == null || n instanceof Null) {
            return null;
        }
        if (n instanceof Bool b) {
            return b;
        }
        throw wrongType(n, path + "." + member, "a boolean");
    }

    public Obj optionalObject(Obj o, String member, String path) throws ParseException {
        Node n = o.get(member);
        if (n == null || n instanceof Null) {
            return null;
        }
        return object(n, path + "." + member);
    }

    /** Checks the {@code schema} member of our own scripts' JSON. */
    public void requireSchema(Obj root, String expected) throws ParseException {
        Node n = root.get("schema");
        if (n == null) {
            throw new ParseException(source, root.line(), "no \"schema\" member: expected \"" + expected + "\"");
        }
        if (!(n instanceof Str s) || !s.value().equals(expected)) {
            String found = n instanceof Str s2 ? "\"" + s2.value() + "\"" : n.kind();
            throw new ParseException(source, n.line(), "unknown schema " + found + ": expected \"" + expected + "\"");
        }
    }

    private ParseException wrongType(Node n, String path, String expected) {
        return new ParseException(source, n == null ? 0 : n.line(),
                path + " must be " + expected + ", not " + (n == null ? "missing" : n.kind()));
    }
}
