package io.vaultcube.jenkins.agent;

import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import io.vaultcube.pipeline.run.PrivateTempDir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes an SSH key that has a passphrase usable by {@code ansible-playbook}, which has no terminal
 * to ask for one: {@code ssh-keygen -p} writes an unprotected copy, inside a private directory
 * that is removed before this returns. The passphrase reaches ssh-keygen through an askpass
 * program that prints a 0400 file, never through argv or the environment.
 */
public final class PrivateKeys {
    private PrivateKeys() {
    }

    /**
     * The key without its passphrase.
     *
     * @param key the key text (OpenSSH or PEM)
     * @param passphrase its passphrase; null or empty returns the key unchanged
     * @param tempRoot where the private directory goes (null: the system's)
     * @throws IOException the passphrase is wrong, or ssh-keygen is missing; the message names no secret
     */
    public static String withoutPassphrase(String key, String passphrase, Path tempRoot, ProcessRunner processes)
            throws IOException, InterruptedException {
        if (passphrase == null || passphrase.isEmpty()) {
            return key;
        }
        try (PrivateTempDir dir = PrivateTempDir.create(tempRoot, "vault-key-")) {
            String text = key.endsWith("\n") ? key : key + "\n";
            Path keyFile = dir.writeFile("key", text.getBytes(StandardCharsets.UTF_8), "rw-------");
            Path secret = dir.writeFile("passphrase", passphrase.getBytes(StandardCharsets.UTF_8), "r--------");
            Path askpass = dir.writeFile("askpass", ("#!/bin/sh\nexec cat '" + secret + "'\n")
                    .getBytes(StandardCharsets.UTF_8), "r-x------");
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            ProcessResult r = processes.run(ProcessSpec.builder("ssh-keygen", "-p", "-N", "", "-f", keyFile.toString())
                    .env("SSH_ASKPASS", askpass.toString())
                    .env("SSH_ASKPASS_REQUIRE", "force")
                    .env("DISPLAY", "none")
                    .secret(passphrase)
                    .mergeStderr(true)
                    .console(output)
                    .build());
            if (Thread.interrupted()) {
                throw new InterruptedException("aborted while the SSH key's passphrase was removed");
            }
            if (!r.succeeded()) {
                throw new IOException("the SSH key could not be opened with the credential's passphrase (ssh-keygen"
                        + " exit " + r.exitCode() + ": " + output.toString(StandardCharsets.UTF_8).strip() + ")");
            }
            return Files.readString(keyFile, StandardCharsets.UTF_8);
        }
    }
}
