package io.vaultcube.jenkins.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;

/** Java serialization, as remoting (callables) and Pipeline (executions) do it. */
public final class Serialized {
    private Serialized() {
    }

    public static byte[] bytes(Object o) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream s = new ObjectOutputStream(out)) {
            s.writeObject(o);
        }
        return out.toByteArray();
    }

    /** The serialized form as text, to search for a secret (strings are written as modified UTF-8). */
    public static String bytesOf(Object o) throws IOException {
        return new String(bytes(o), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    public static <T> T roundTrip(T o) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes(o)))) {
            return (T) in.readObject();
        }
    }
}
