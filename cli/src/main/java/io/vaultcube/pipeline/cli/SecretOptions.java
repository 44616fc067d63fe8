package io.vaultcube.pipeline.cli;

import io.vaultcube.pipeline.run.SecretFile;
import java.nio.file.Path;
import java.util.Map;

/**
 * The secret forms of the run commands' variables, which keep the value out of vault's own command
 * line (any user of the machine reads that in {@code ps} or {@code /proc/PID/cmdline} while vault
 * runs): {@code NAME=ENVVAR} takes the value from an environment variable, {@code NAME=FILE} from a
 * file. Messages name the option, the variable and where the value should be, never the value.
 */
final class SecretOptions {

    /** Where an argv form's help says why not to use it for a secret. */
    static final String ARGV_VISIBLE = " The value is on vault's command line, which other users of this machine can"
            + " read (ps, /proc) while vault runs;";

    private SecretOptions() {
    }

    /**
     * {@code NAME=ENVVAR}: the variable's name, the environment variable's value, and the
     * environment variable's name (the command removes it from the tool's environment: the tool
     * gets the value as the variable, and a task that prints its environment cannot show it).
     */
    static String[] fromEnv(String option, String text, Map<String, String> env) {
        String[] kv = EvidenceOption.keyValue(option, text, false);
        String envName = kv[1];
        if (!envName.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw CliException.usage(option + " " + kv[0] + "=...: '" + envName
                    + "' is not an environment variable name; give the NAME of the variable that holds the secret,"
                    + " not the secret");
        }
        String value = env.get(envName);
        if (value == null) {
            throw CliException.usage(option + " " + kv[0] + "=" + envName + ": the environment variable " + envName
                    + " is not set");
        }
        if (value.isEmpty()) {
            throw CliException.usage(option + " " + kv[0] + "=" + envName + ": the environment variable " + envName
                    + " is empty");
        }
        return new String[] {kv[0], value, envName};
    }

    /**
     * {@code NAME=FILE}: the variable's name and the file's content, UTF-8, without one final line
     * end (a file written with {@code echo} or an editor has one; the secret does not).
     */
    static String[] fromFile(String option, String text) {
        String[] kv = EvidenceOption.keyValue(option, text, false);
        try {
            return new String[] {kv[0], SecretFile.read(Path.of(kv[1]).toAbsolutePath())};
        } catch (IllegalArgumentException e) {
            throw CliException.usage(option + " " + kv[0] + "=...: " + e.getMessage());
        }
    }
}
