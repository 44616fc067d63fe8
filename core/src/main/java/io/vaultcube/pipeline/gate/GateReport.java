package io.vaultcube.pipeline.gate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The full verdict of a policy over an evidence directory: what {@code vault gate --json} writes
 * (schema {@value #SCHEMA}, see docs/policy.md, Reports).
 *
 * @param verdict SUCCESS, UNSTABLE or FAILURE
 * @param policyFile the policy file as named
 * @param policyName the policy's name
 * @param policySha256 the SHA-256 of the policy file's bytes
 * @param evidence the absolute evidence directory
 * @param baseline the absolute baseline evidence directory, or null
 * @param evaluated when the verdict was reached
 * @param gates one row per gate (and per entity of per-entity gates), in policy order
 * @param stages the stages of the evidence directory
 */
public record GateReport(
        Verdict verdict,
        String policyFile,
        String policyName,
        String policySha256,
        String evidence,
        String baseline,
        Instant evaluated,
        List<GateResult> gates,
        List<StageInfo> stages) {

    public static final String SCHEMA = "vault-gate-report/1";

    public GateReport {
        Objects.requireNonNull(verdict, "verdict");
        gates = List.copyOf(gates);
        stages = stages == null ? List.of() : List.copyOf(stages);
    }

    /** How many rows have each status (every status present, zero or more). */
    public Map<GateStatus, Integer> counts() {
        Map<GateStatus, Integer> counts = new EnumMap<>(GateStatus.class);
        for (GateStatus s : GateStatus.values()) {
            counts.put(s, 0);
        }
        gates.forEach(g -> counts.merge(g.status(), 1, Integer::sum));
        return counts;
    }

    /** The rows failed first, then unstable, skipped and passed; policy order within each. */
    public List<GateResult> rowsFailedFirst() {
        List<GateResult> rows = new ArrayList<>(gates);
        rows.sort(Comparator.comparingInt(r -> r.status().reportOrder()));
        return rows;
    }

    /**
     * "4 failed, 1 unstable, 2 skipped, 30 passed", counting checks; with per-entity gates, which
     * check every GPU and are one line of a report's table, it says so: "...; 37 checks of 31 gates".
     */
    public String summary() {
        Map<GateStatus, Integer> c = counts();
        long distinctGates = gates.stream().map(GateResult::id).distinct().count();
        return c.get(GateStatus.FAILED) + " failed, " + c.get(GateStatus.UNSTABLE) + " unstable, "
                + c.get(GateStatus.SKIPPED) + " skipped, " + c.get(GateStatus.PASSED) + " passed"
                + (distinctGates == gates.size() ? "" : "; " + gates.size() + " checks of " + distinctGates + " gates");
    }
}
