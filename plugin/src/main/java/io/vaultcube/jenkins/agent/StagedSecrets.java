package io.vaultcube.jenkins.agent;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the controller put this call's secrets on the agent: a private directory (0700) of files
 * (0400), one per value. Holds paths and names only, never a value: it travels inside a file
 * callable. The callable reads the files and removes the directory before it runs anything
 * ({@link AgentSecrets#take}); the controller removes it again after the call, whatever happened.
 *
 * @param directory the private directory (absolute, on the agent)
 * @param values file of each named value: a Packer sensitive variable by its variable name
 * @param privateKey the SSH key file, or null
 * @param passphrase the key's passphrase file, or null
 */
public record StagedSecrets(String directory, Map<String, String> values, String privateKey, String passphrase)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public StagedSecrets {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values == null ? Map.of() : values));
    }

    /** No secrets for this call. */
    public static StagedSecrets none() {
        return new StagedSecrets(null, Map.of(), null, null);
    }

    public boolean isEmpty() {
        return directory == null;
    }
}
