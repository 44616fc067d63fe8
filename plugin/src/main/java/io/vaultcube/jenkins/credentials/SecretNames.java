package io.vaultcube.jenkins.credentials;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which secrets a step needs, by name only: the environment variables (bound by
 * {@code withCredentials}) that hold Packer's sensitive variables, and the id of an SSH key
 * credential. This is what a step may keep; the values are looked up when it runs.
 *
 * @param sensitiveVarsFromEnv Packer variable → the environment variable holding its value
 * @param credentialsId an SSH Username with private key credential, or null
 */
public record SecretNames(Map<String, String> sensitiveVarsFromEnv, String credentialsId) {
    public SecretNames {
        sensitiveVarsFromEnv = Collections.unmodifiableMap(new LinkedHashMap<>(
                sensitiveVarsFromEnv == null ? Map.of() : sensitiveVarsFromEnv));
    }

    public static SecretNames none() {
        return new SecretNames(Map.of(), null);
    }

    public boolean isEmpty() {
        return sensitiveVarsFromEnv.isEmpty() && credentialsId == null;
    }
}
