package io.vaultcube.jenkins.agent;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one runner step asks the agent to run: the stage kind, where its evidence goes, and the
 * step's parameters as plain values (text, whole numbers, flags, lists and maps of text), named as
 * the step names them. Never a secret: a step puts only names of secrets here (the environment
 * variables that hold Packer's sensitive values, the paths of files that hold them, a credentials
 * id), and Pipeline persists this
 * with the execution. The core settings are built from it on the agent ({@link RequestSettings}).
 */
public final class StageRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RunnerKind kind;
    private final String evidence;
    private final String stage;
    private final LinkedHashMap<String, Serializable> values;

    private StageRequest(Builder b) {
        this.kind = b.kind;
        this.evidence = b.evidence;
        this.stage = b.stage;
        this.values = new LinkedHashMap<>(b.values);
    }

    public static Builder builder(RunnerKind kind, String evidence, String stage) {
        return new Builder(kind, evidence, stage);
    }

    public RunnerKind kind() {
        return kind;
    }

    /** The evidence directory of the build, relative to the workspace (or absolute). */
    public String evidence() {
        return evidence;
    }

    /** The stage, the directory under {@link #evidence()}. */
    public String stage() {
        return stage;
    }

    /** The parameters that were given (unset ones are absent), for tests and the log. */
    public Map<String, Serializable> values() {
        return Collections.unmodifiableMap(values);
    }

    public String text(String name) {
        return (String) values.get(name);
    }

    public Integer integer(String name) {
        return (Integer) values.get(name);
    }

    public boolean flag(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        Object v = values.get(name);
        return v == null ? List.of() : Collections.unmodifiableList((List<String>) v);
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> map(String name) {
        Object v = values.get(name);
        return v == null ? Map.of() : Collections.unmodifiableMap((Map<String, String>) v);
    }

    @Override
    public String toString() {
        return kind.id() + " " + stage + " " + values;
    }

    /** Collects the values; null, empty text and empty collections are left out (they mean "not given"). */
    public static final class Builder {
        private final RunnerKind kind;
        private final String evidence;
        private final String stage;
        private final Map<String, Serializable> values = new LinkedHashMap<>();

        private Builder(RunnerKind kind, String evidence, String stage) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.evidence = Objects.requireNonNull(evidence, "evidence");
            this.stage = Objects.requireNonNull(stage, "stage");
        }

        public Builder text(String name, String value) {
            if (value != null && !value.isBlank()) {
                values.put(name, value);
            }
            return this;
        }

        public Builder integer(String name, Integer value) {
            if (value != null) {
                values.put(name, value);
            }
            return this;
        }

        public Builder flag(String name, boolean value) {
            values.put(name, value);
            return this;
        }

        public Builder list(String name, List<String> value) {
            if (value != null && !value.isEmpty()) {
                values.put(name, new ArrayList<>(value));
            }
            return this;
        }

        public Builder map(String name, Map<String, String> value) {
            if (value != null && !value.isEmpty()) {
                values.put(name, new LinkedHashMap<>(value));
            }
            return this;
        }

        public StageRequest build() {
            return new StageRequest(this);
        }
    }
}
