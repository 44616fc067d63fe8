package io.vaultcube.jenkins.steps;

import hudson.AbortException;
import hudson.EnvVars;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What every {@code vault*} step has: the build's evidence directory and the stage (directory)
 * the step writes or reads. By default each build writes {@code vault-runs/build-N} in its
 * workspace, so the gate judges the evidence of this build and only this build.
 */
public abstract class VaultStep extends Step {
    /** The evidence directory of a build when the step names none; {@code N} is {@code BUILD_NUMBER}. */
    public static final String EVIDENCE_PREFIX = "vault-runs/build-";

    private final String functionName;
    private String evidence;
    private String stage;

    /** {@code functionName}: the step's function name, as its descriptor and {@code @Symbol} give it. */
    protected VaultStep(String functionName) {
        this.functionName = functionName;
    }

    public String getEvidence() {
        return evidence;
    }

    /** The evidence directory, relative to the workspace; default {@code vault-runs/build-N}. */
    @DataBoundSetter
    public void setEvidence(String evidence) {
        this.evidence = blankToNull(evidence);
    }

    public String getStage() {
        return stage;
    }

    /** The stage, the directory under the evidence directory; default the kind's (packer, ansible, gpu, ...). */
    @DataBoundSetter
    public void setStage(String stage) {
        Checks.require(Checks.stage(stage));
        this.stage = blankToNull(stage);
    }

    /** The step's function name ({@code vaultPackerBuild}, ...), as its descriptor gives it. */
    public final String functionName() {
        return functionName;
    }

    /** The stage this step writes when none is given, as the CLI names it. */
    protected abstract String defaultStage();

    /** The stage this step writes. */
    public String stageName() {
        return stage != null ? stage : defaultStage();
    }

    /** The evidence directory of this build: the one given, else {@code vault-runs/build-$BUILD_NUMBER}. */
    public String evidenceDirectory(EnvVars env) throws AbortException {
        if (evidence != null) {
            return evidence;
        }
        String number = env == null ? null : env.get("BUILD_NUMBER");
        if (number == null || number.isBlank()) {
            throw new AbortException("no BUILD_NUMBER in the environment to name this build's evidence directory;"
                    + " give one with evidence: 'DIR'");
        }
        return EVIDENCE_PREFIX + number;
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** A duration parameter as given ({@code 90s}, {@code 2h}), checked; null for none. */
    static String duration(String name, String value) {
        Checks.require(Checks.duration(name, value));
        return blankToNull(value);
    }

    /** A map parameter of variables as given, as text, its names checked; null for none. */
    static Map<String, String> variables(String name, Map<?, ?> map) {
        Map<String, String> v = texts(map);
        Checks.require(Checks.variableNames(name, v));
        return v;
    }

    /** A list as given (a Groovy list may hold numbers or GStrings), as text; null for none. */
    static List<String> texts(List<?> list) {
        if (list == null) {
            return null;
        }
        List<String> copy = new ArrayList<>();
        list.forEach(v -> copy.add(String.valueOf(v)));
        return Collections.unmodifiableList(copy);
    }

    /** A map as given, as text; null for none. */
    static Map<String, String> texts(Map<?, ?> map) {
        if (map == null) {
            return null;
        }
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        return Collections.unmodifiableMap(copy);
    }

    /**
     * A {@code sensitive…FromFile} map as given: variable → path of the file that holds the value
     * (stripped: a path pasted with a trailing space), checked, and refused for a variable that the
     * environment form {@code envName} already gives; null for none.
     */
    static Map<String, String> secretFiles(String name, Map<?, ?> given, String envName, Map<String, String> fromEnv) {
        if (given == null) {
            return null;
        }
        Map<String, String> v = new LinkedHashMap<>();
        texts(given).forEach((k, path) -> v.put(k, path == null ? null : path.strip()));
        Checks.require(Checks.secretFiles(name, v));
        Checks.require(Checks.oneForm(envName, fromEnv, name, v));
        return Collections.unmodifiableMap(v);
    }
}
