package io.vaultcube.pipeline.gate;

import io.vaultcube.pipeline.yaml.YamlTree.Node;

/** Reads one condition of a gate from its value in the policy ({@code min: 32000}). */
@FunctionalInterface
public interface ConditionReader {
    /**
     * @param key the condition's key as written
     * @param value its value in the policy
     * @param in reports problems (with the value's line) and reads common value types
     * @return the condition, or null when the value is wrong (a problem was reported)
     */
    Condition read(String key, Node value, ConditionInput in);
}
