package org.jenkinsci.remoting;

public final class Role {
    public Role(String name) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
