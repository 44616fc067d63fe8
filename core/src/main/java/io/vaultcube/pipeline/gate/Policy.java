package io.vaultcube.pipeline.gate;

import java.util.List;
import java.util.Objects;

/**
 * A parsed, validated policy (schema {@code vault-policy/1}); see docs/policy.md.
 *
 * @param file the policy file as the user named it
 * @param sha256 the SHA-256 of the file's bytes (hex), recorded in every report
 * @param name the policy's name
 * @param description what the policy is for (may be null)
 * @param gates the gates in file order, at least one
 */
public record Policy(String file, String sha256, String name, String description, List<GateSpec> gates) {
    public static final String SCHEMA = "vault-policy/1";

    public Policy {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(name, "name");
        gates = List.copyOf(gates);
    }

    /** True when any gate compares against a baseline. */
    public boolean usesBaseline() {
        return gates.stream().anyMatch(GateSpec::usesBaseline);
    }
}
