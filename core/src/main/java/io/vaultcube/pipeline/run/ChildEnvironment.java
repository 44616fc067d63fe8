package io.vaultcube.pipeline.run;

import io.vaultcube.pipeline.exec.ProcessSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A child's whole environment: this process's, with a run's changes applied (a null value removes
 * a variable). Handed to the process runner as a clean environment, because {@link ProcessSpec}'s
 * builder cannot carry a removal (its environment map refuses null values).
 */
public final class ChildEnvironment {
    private ChildEnvironment() {
    }

    /** This process's environment with the changes applied, in a stable order. */
    public static Map<String, String> of(Map<String, String> changes) {
        Map<String, String> env = new TreeMap<>(System.getenv());
        changes.forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        return env;
    }

    /** Sets the whole environment on a spec builder. */
    public static ProcessSpec.Builder apply(ProcessSpec.Builder builder, Map<String, String> changes) {
        return builder.cleanEnvironment().env(new LinkedHashMap<>(of(changes)));
    }
}
