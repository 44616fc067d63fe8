package io.vaultcube.pipeline.exec;

/** Which of a child's output streams a line came from. */
public enum OutputSource {
    STDOUT,
    STDERR
}
