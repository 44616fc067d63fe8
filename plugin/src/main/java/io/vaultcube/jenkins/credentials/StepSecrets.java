package io.vaultcube.jenkins.credentials;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.slaves.WorkspaceList;
import hudson.util.Secret;
import io.vaultcube.jenkins.agent.StagedSecrets;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks the secrets of one step call up on the controller and stages them as private files on the
 * agent (a 0700 directory beside the workspace, {@code WORKSPACE@tmp}, one 0400 file per value),
 * as the credentials-binding plugin stages key files. The values live in local variables of the
 * step's thread, and in files for the moment between this and the callable taking them; never in
 * a field of a step, an execution or a callable, which Pipeline and remoting serialize.
 */
public final class StepSecrets {
    private StepSecrets() {
    }

    /**
     * The values for one call, in memory.
     *
     * @param values Packer sensitive variables by variable name
     * @param privateKey the key text, or null
     * @param passphrase the key's passphrase, or null
     * @param username the credential's user name (the default for Ansible's user), or null
     */
    public record Found(Map<String, String> values, String privateKey, String passphrase, String username) {
        public static final Found NONE = new Found(Map.of(), null, null, null);
    }

    /** Looks the secrets up: environment variables from the step's environment, the key from the credentials store. */
    public static Found lookUp(SecretNames names, EnvVars env, Run<?, ?> run) throws AbortException {
        if (names.isEmpty()) {
            return Found.NONE;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : names.sensitiveVarsFromEnv().entrySet()) {
            String value = env == null ? null : env.get(e.getValue());
            if (value == null) {
                throw new AbortException("sensitiveVarsFromEnv: environment variable " + e.getValue() + " (for"
                        + " Packer variable " + e.getKey() + ") is not set; bind it with withCredentials around this"
                        + " step");
            }
            values.put(e.getKey(), value);
        }
        if (names.credentialsId() == null) {
            return new Found(values, null, null, null);
        }
        SSHUserPrivateKey key = requireKey(names.credentialsId(),
                CredentialsProvider.findCredentialById(names.credentialsId(), SSHUserPrivateKey.class, run));
        CredentialsProvider.track(run, key);
        Secret passphrase = key.getPassphrase();
        return new Found(values, key.getPrivateKeys().get(0), passphrase == null ? null : passphrase.getPlainText(),
                key.getUsername());
    }

    /** A missing credential, or one without a key, is an error that names the id: never a run without a key. */
    public static SSHUserPrivateKey requireKey(String id, SSHUserPrivateKey found) throws AbortException {
        if (found == null) {
            throw new AbortException("credentialsId '" + id + "': no SSH Username with private key credential with"
                    + " this id is visible to this build");
        }
        List<String> keys = found.getPrivateKeys();
        if (keys == null || keys.isEmpty() || keys.get(0).isBlank()) {
            throw new AbortException("credentialsId '" + id + "': the credential holds no private key");
        }
        return found;
    }

    /** A missing S3 credential, or one without a key id or secret, is an error that names the id. */
    public static StandardUsernamePasswordCredentials requireS3(String id, StandardUsernamePasswordCredentials found)
            throws AbortException {
        if (found == null) {
            throw new AbortException("s3CredentialsId '" + id + "': no Username with password credential with this id"
                    + " is visible to this build (user name: the access key id, password: the secret access key)");
        }
        if (found.getUsername() == null || found.getUsername().isBlank() || found.getPassword() == null
                || found.getPassword().getPlainText().isEmpty()) {
            throw new AbortException("s3CredentialsId '" + id + "': the credential needs the access key id as its user"
                    + " name and the secret access key as its password");
        }
        return found;
    }

    /** Writes the values as private files on the agent of the workspace. */
    public static StagedSecrets stage(Found found, FilePath workspace) throws IOException, InterruptedException {
        if (found.values().isEmpty() && found.privateKey() == null) {
            return StagedSecrets.none();
        }
        FilePath tmp = WorkspaceList.tempDir(workspace);
        tmp.mkdirs();
        FilePath dir = tmp.createTempDir("vault-secrets", "");
        try {
            dir.chmod(0700);
            Map<String, String> files = new LinkedHashMap<>();
            int i = 0;
            for (Map.Entry<String, String> e : found.values().entrySet()) {
                files.put(e.getKey(), write(dir.child("value-" + i++), e.getValue()));
            }
            String key = found.privateKey() == null ? null : write(dir.child("ssh-key"), found.privateKey());
            String passphrase = found.passphrase() == null ? null : write(dir.child("passphrase"), found.passphrase());
            return new StagedSecrets(dir.getRemote(), files, key, passphrase);
        } catch (IOException | InterruptedException | RuntimeException e) {
            dir.deleteRecursive();
            throw e;
        }
    }

    /** Removes the staged directory; the callable has removed it already unless it never ran. */
    public static void remove(StagedSecrets staged, FilePath workspace) throws IOException, InterruptedException {
        if (staged != null && !staged.isEmpty()) {
            workspace.child(staged.directory()).deleteRecursive();
        }
    }

    private static String write(FilePath file, String value) throws IOException, InterruptedException {
        file.write(value, "UTF-8");
        file.chmod(0400);
        return file.getRemote();
    }
}
