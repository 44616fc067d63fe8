package io.vaultcube.pipeline.gate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one list of gate conditions: each policy key with the reader of its condition, in the
 * order docs/policy.md describes them. A condition not listed here cannot be written in a policy.
 */
public final class Conditions {
    private static final Map<String, ConditionReader> READERS = new LinkedHashMap<>();

    static {
        READERS.put("min", Condition.Min.READER);
        READERS.put("max", Condition.Max.READER);
        READERS.put("above", Condition.Above.READER);
        READERS.put("below", Condition.Below.READER);
        READERS.put("eq", Condition.Eq.READER);
        READERS.put("not_eq", NotEqCondition.READER);
        READERS.put("in", Condition.In.READER);
        READERS.put("matches", Condition.Matches.READER);
        READERS.put("is", Condition.Is.READER);
        READERS.put("min_version", VersionCondition.MIN);
        READERS.put("max_version", VersionCondition.MAX);
        READERS.put("min_ratio", Condition.MinRatio.READER);
        READERS.put("max_ratio", Condition.MaxRatio.READER);
    }

    private Conditions() {
    }

    /** The policy keys of all conditions, in order. */
    public static List<String> keys() {
        return List.copyOf(READERS.keySet());
    }

    /** Key to reader, in order. */
    public static Map<String, ConditionReader> readers() {
        return Collections.unmodifiableMap(READERS);
    }

    /** The reader of a key, or null when no condition has it. */
    public static ConditionReader reader(String key) {
        return READERS.get(key);
    }
}
