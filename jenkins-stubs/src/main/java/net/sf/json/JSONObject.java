package net.sf.json;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

@SuppressWarnings({"rawtypes", "unchecked"})
public final class JSONObject implements Map<String, Object> {
    private JSONObject() {
    }

    private static UnsupportedOperationException stub() {
        return new UnsupportedOperationException("compile-only stub");
    }

    public String getString(String key) {
        throw stub();
    }

    public String optString(String key) {
        throw stub();
    }

    @Override
    public int size() {
        throw stub();
    }

    @Override
    public boolean isEmpty() {
        throw stub();
    }

    @Override
    public boolean containsKey(Object key) {
        throw stub();
    }

    @Override
    public boolean containsValue(Object value) {
        throw stub();
    }

    @Override
    public Object get(Object key) {
        throw stub();
    }

    @Override
    public Object put(String key, Object value) {
        throw stub();
    }

    @Override
    public Object remove(Object key) {
        throw stub();
    }

    @Override
    public void putAll(Map map) {
        throw stub();
    }

    @Override
    public void clear() {
        throw stub();
    }

    @Override
    public Set<String> keySet() {
        throw stub();
    }

    @Override
    public Collection values() {
        throw stub();
    }

    @Override
    public Set entrySet() {
        throw stub();
    }
}
