package io.vaultcube.pipeline.image;

/** The verdict of a gate report (docs/policy.md, Reports). */
public enum GateVerdict {
    SUCCESS, UNSTABLE, FAILURE
}
