package io.vaultcube.jenkins.steps;

import hudson.util.FormValidation;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.run.Durations;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameter checks the steps share: each returns what is wrong, or null. The setters throw
 * them (a Jenkinsfile with a wrong value fails before anything runs, naming the parameter) and the
 * descriptors' {@code doCheck} methods show them in the Snippet Generator.
 */
public final class Checks {
    /** An environment variable name, as POSIX shells take them. */
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Packer and Ansible variable names (the stricter of the two is checked by the core on the agent). */
    static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    static final Set<String> ON_ERROR = Set.of("cleanup", "abort", "ask", "run-cleanup-provisioner");
    static final Set<String> BENCHMARKS = Set.of("ddp", "tensorflow", "vllm");

    private Checks() {
    }

    /** An S3 endpoint: an http(s) URL with a host and no credentials in it (core S3Settings decides). */
    public static String s3Endpoint(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            new io.vaultcube.pipeline.image.repo.s3.S3Settings(
                    io.vaultcube.pipeline.image.repo.s3.S3Settings.endpoint(text), null, true,
                    io.vaultcube.pipeline.image.repo.s3.S3Settings.DEFAULT_PART_SIZE,
                    io.vaultcube.pipeline.image.repo.s3.S3Settings.DEFAULT_PART_SIZE, 1, false);
            return null;
        } catch (IllegalArgumentException e) {
            return "s3Endpoint: " + e.getMessage();
        }
    }

    public static String duration(String name, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            if (Durations.parse(text.strip()).isZero()) {
                return name + " must be longer than zero, found '" + text + "'";
            }
            return null;
        } catch (IllegalArgumentException e) {
            return name + ": " + e.getMessage();
        }
    }

    public static String required(String name, String text) {
        return text == null || text.isBlank() ? name + " is required" : null;
    }

    public static String range(String name, Integer value, int min, int max) {
        if (value == null) {
            return null;
        }
        return value < min || value > max ? name + " must be " + min + " to " + max + ", found " + value : null;
    }

    public static String stage(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return EvidenceDir.STAGE_NAME.matcher(text).matches() ? null : "stage is a-z, then a-z, 0-9 or '-' (at most"
                + " 64; it names the stage's evidence directory), found '" + text + "'";
    }

    public static String onError(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return ON_ERROR.contains(text) ? null : "onError is one of abort, ask, cleanup, run-cleanup-provisioner, found '"
                + text + "'";
    }

    public static String benchmark(String text) {
        if (text == null || text.isBlank()) {
            return "benchmark is required: ddp, tensorflow or vllm";
        }
        return BENCHMARKS.contains(text) ? null : "benchmark is one of ddp, tensorflow, vllm, found '" + text + "'";
    }

    public static String variableNames(String name, Map<String, String> map) {
        if (map == null) {
            return null;
        }
        for (String key : map.keySet()) {
            if (key == null || !VARIABLE_NAME.matcher(key).matches()) {
                return name + ": not a variable name: '" + key + "'";
            }
        }
        return null;
    }

    /** {@code sensitiveVarsFromEnv}: each value names an environment variable, never holds a secret. */
    public static String envNames(String name, Map<String, String> map) {
        String keys = variableNames(name, map);
        if (keys != null || map == null) {
            return keys;
        }
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getValue() == null || !ENV_NAME.matcher(e.getValue()).matches()) {
                return name + ": the value for " + e.getKey() + " must name an environment variable (bound by"
                        + " withCredentials), not hold the secret";
            }
        }
        return null;
    }

    /**
     * {@code sensitiveVarsFromFile}: each value is the path of the file that holds the secret (a
     * path is not secret; the file is read on the agent when the step runs).
     */
    public static String secretFiles(String name, Map<String, String> map) {
        String keys = variableNames(name, map);
        if (keys != null || map == null) {
            return keys;
        }
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (e.getValue() == null || e.getValue().isBlank()) {
                return name + ": the value for " + e.getKey() + " must be the path of the file that holds it";
            }
        }
        return null;
    }

    /** A variable comes from the environment or from a file, not both: which one would win is not obvious. */
    public static String oneForm(String envName, Map<String, String> fromEnv, String fileName,
            Map<String, String> fromFile) {
        if (fromEnv == null || fromFile == null) {
            return null;
        }
        for (String variable : fromEnv.keySet()) {
            if (fromFile.containsKey(variable)) {
                return "variable " + variable + " is given in both " + envName + " and " + fileName
                        + "; give it in one";
            }
        }
        return null;
    }

    public static String notEmpty(String name, List<String> list) {
        return list == null || list.isEmpty() ? name + " needs at least one entry" : null;
    }

    /** Throws for a setter or constructor. */
    static void require(String problem) {
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** For a {@code doCheck} method. */
    static FormValidation form(String problem) {
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }
}
