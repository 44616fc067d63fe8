package io.vaultcube.jenkins.model;

import java.lang.reflect.Field;

/** Makes an object without its constructor, as XStream does when it reads build.xml. */
final class UnsafeAlloc {
    private UnsafeAlloc() {
    }

    static Object allocate(Class<?> type) throws Exception {
        Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        f.setAccessible(true);
        Object unsafe = f.get(null);
        return unsafe.getClass().getMethod("allocateInstance", Class.class).invoke(unsafe, type);
    }
}
