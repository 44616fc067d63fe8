package io.vaultcube.pipeline.image;

/** The verdict of a gate report (contract: "Gate report JSON"). */
public enum GateVerdict {
    SUCCESS, UNSTABLE, FAILURE
}
