package io.vaultcube.jenkins.steps;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Binds the Snippet Generator's form to a step, as {@code withEnv}'s descriptor does: a form has
 * no list or map fields, so lists are entered one entry per line and maps one {@code NAME=VALUE}
 * per line, and converted here; text, numbers and flags bind as Stapler binds them. Blank fields
 * are left unset (the step's default).
 */
final class FormBinding {
    private FormBinding() {
    }

    static <T> T bind(Class<T> type, Map<String, Object> form) {
        Constructor<?> constructor = dataBoundConstructor(type);
        Parameter[] params = constructor.getParameters();
        Object[] args = new Object[params.length];
        for (int i = 0; i < params.length; i++) {
            args[i] = convert(params[i].getName(), params[i].getParameterizedType(), form.get(params[i].getName()));
        }
        try {
            T step = type.cast(constructor.newInstance(args));
            for (Method setter : setters(type)) {
                String field = fieldOf(setter);
                Object value = convert(field, setter.getGenericParameterTypes()[0], form.get(field));
                if (value != null) {
                    setter.invoke(step, value);
                }
            }
            return step;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalArgumentException(cause.getMessage(), cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot bind " + type.getName() + ": " + e, e);
        }
    }

    static Constructor<?> dataBoundConstructor(Class<?> type) {
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(DataBoundConstructor.class)) {
                return c;
            }
        }
        throw new IllegalStateException(type.getName() + " has no @DataBoundConstructor");
    }

    static List<Method> setters(Class<?> type) {
        List<Method> setters = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class) && m.getParameterCount() == 1) {
                setters.add(m);
            }
        }
        setters.sort((a, b) -> a.getName().compareTo(b.getName()));
        return setters;
    }

    /** {@code setVarFiles} → {@code varFiles}. */
    static String fieldOf(Method setter) {
        String n = setter.getName().substring(3);
        return Character.toLowerCase(n.charAt(0)) + n.substring(1);
    }

    /** Every parameter of a step, by name, with its Java type: the constructor's, then the setters'. */
    static Map<String, Type> parameters(Class<?> type) {
        Map<String, Type> all = new LinkedHashMap<>();
        for (Parameter p : dataBoundConstructor(type).getParameters()) {
            all.put(p.getName(), p.getParameterizedType());
        }
        for (Method m : setters(type)) {
            all.put(fieldOf(m), m.getGenericParameterTypes()[0]);
        }
        return all;
    }

    static Object convert(String field, Type type, Object value) {
        if (value == null) {
            return null;
        }
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        String text = value instanceof String s ? s.strip() : null;
        if (text != null && text.isEmpty()) {
            return null;
        }
        if (raw == String.class) {
            return text != null ? text : String.valueOf(value);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return value instanceof Boolean b ? b : Boolean.parseBoolean(text);
        }
        if (raw == int.class || raw == Integer.class) {
            if (value instanceof Number n) {
                return n.intValue();
            }
            try {
                return Integer.valueOf(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + " must be a whole number, found '" + text + "'");
            }
        }
        if (List.class.isAssignableFrom(raw)) {
            List<String> list = new ArrayList<>();
            if (value instanceof Collection<?> c) {
                c.forEach(v -> list.add(String.valueOf(v)));
            } else {
                for (String line : text.split("\\R")) {
                    if (!line.isBlank()) {
                        list.add(line.strip());
                    }
                }
            }
            return list;
        }
        if (Map.class.isAssignableFrom(raw)) {
            Map<String, String> map = new LinkedHashMap<>();
            if (value instanceof Map<?, ?> m) {
                m.forEach((k, v) -> map.put(String.valueOf(k), String.valueOf(v)));
                return map;
            }
            for (String line : text.split("\\R")) {
                if (line.isBlank()) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException(field + ": each line is NAME=VALUE, found '" + line.strip() + "'");
                }
                map.put(line.substring(0, eq).strip(), line.substring(eq + 1));
            }
            return map;
        }
        throw new IllegalStateException(field + ": no form binding for " + type);
    }

    /** A list or map as the form shows it: one entry (or NAME=VALUE) per line. */
    static String lines(Object value) {
        if (value instanceof Collection<?> c) {
            StringBuilder b = new StringBuilder();
            c.forEach(v -> b.append(v).append('\n'));
            return b.toString();
        }
        if (value instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder();
            m.forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
            return b.toString();
        }
        return value == null ? "" : String.valueOf(value);
    }
}
