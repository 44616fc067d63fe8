package io.vaultcube.pipeline.image;

/**
 * The verdict a gate report states, as promotion reads it (docs/policy.md, Reports). The gate's own
 * {@code gate.Verdict} is not used here: {@code image} does not depend on {@code gate}.
 */
public enum ReportedVerdict {
    SUCCESS, UNSTABLE, FAILURE
}
