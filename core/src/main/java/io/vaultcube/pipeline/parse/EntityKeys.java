package io.vaultcube.pipeline.parse;

/**
 * Checks text read from an input before it becomes the key of a metric name
 * ({@code ansible.host[KEY]}, {@code packer.build[KEY]}): a key is non-empty, has no control
 * characters and is not "*". Input that breaks this is garbled, and says so with its line, instead
 * of failing later inside the metric model.
 */
public final class EntityKeys {
    private EntityKeys() {
    }

    /** Returns the key, or throws a ParseException naming the file and line. */
    public static String check(String key, String what, String source, long line) throws ParseException {
        if (key == null || key.isEmpty()) {
            throw new ParseException(source, line, what + " is empty");
        }
        if (key.equals("*")) {
            throw new ParseException(source, line, what + " is '*', which cannot name an entity");
        }
        if (key.length() > 1024) {
            throw new ParseException(source, line, what + " is longer than 1024 characters");
        }
        for (int i = 0; i < key.length(); i++) {
            if (Character.isISOControl(key.charAt(i))) {
                throw new ParseException(source, line, what + " contains a control character: garbled input");
            }
        }
        return key;
    }
}
