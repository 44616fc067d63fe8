package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.run.Executables;
import io.vaultcube.pipeline.yaml.YamlException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link StageKind} checks before the first stage runs, and the problems found, each with
 * the line of its stage. Files named with {@code ${evidence}} are made by the run and not checked.
 */
public final class PreflightChecks {
    /** The Debian packages of the tools stages need, for the message that says how to get one. */
    private static final Map<String, String> DEBIAN_PACKAGES = Map.of(
            "packer", "packer",
            "ansible-playbook", "ansible-core",
            "bash", "bash",
            "sh", "dash",
            "python3", "python3",
            "python", "python-is-python3",
            "git", "git",
            "ssh-keygen", "openssh-client",
            "dpkg-query", "dpkg");

    private final Path workDir;
    private final Map<String, String> environment;
    private final List<YamlException.Problem> problems = new ArrayList<>();
    private StageSpec stage;

    /**
     * @param workDir where relative paths of the pipeline file resolve
     * @param environment the environment the stages' tools will see (PATH decides which tools are found)
     */
    public PreflightChecks(Path workDir, Map<String, String> environment) {
        this.workDir = workDir;
        this.environment = Map.copyOf(environment);
    }

    /** The stage the following checks are for. */
    void at(StageSpec next) {
        this.stage = next;
    }

    public List<YamlException.Problem> problems() {
        return List.copyOf(problems);
    }

    /** A problem of the current stage. */
    public void problem(String message) {
        problems.add(new YamlException.Problem(stage == null ? 0 : stage.line(), 0, message));
    }

    public Path resolve(String written) {
        return workDir.resolve(written).normalize();
    }

    /** A variable of the tools' environment, or null. */
    public String env(String name) {
        return environment.get(name);
    }

    /** True when the path (if given) exists: as a regular file when {@code mustBeFile}. */
    public boolean exists(String what, String written, boolean mustBeFile) {
        if (written == null || written.contains("${evidence}")) {
            return false;
        }
        Path p = resolve(written);
        boolean ok = mustBeFile ? Files.isRegularFile(p) : Files.exists(p);
        if (!ok) {
            problem("the " + what + " " + written + " does not exist (" + p + ")");
        }
        return ok;
    }

    /** The path (if given) is a directory. */
    public void directory(String what, String written) {
        if (written != null && !written.contains("${evidence}") && !Files.isDirectory(resolve(written))) {
            problem("the " + what + " " + written + " is not a directory (" + resolve(written) + ")");
        }
    }

    /** A program the stage runs by name must be on PATH; the message names the Debian package. */
    public void tool(String program) {
        if (Executables.find(program, environment.get("PATH")).isPresent()) {
            return;
        }
        String pkg = DEBIAN_PACKAGES.get(program);
        problem("stage " + stage.name() + " (" + stage.kind() + ") needs " + program + ", which is not installed (not"
                + " found on PATH)" + (pkg == null ? "; install it or give its path"
                        : "; install it: apt-get install " + pkg));
    }

    /**
     * A script the stage runs (if given): an executable file whose interpreter ({@code #!}) is
     * installed.
     */
    public void script(String what, String written) {
        if (!exists(what, written, true)) {
            return;
        }
        Path p = resolve(written);
        if (!Files.isExecutable(p)) {
            problem("the " + what + " " + written + " is not executable (" + p + "); chmod +x it");
            return;
        }
        interpreter(p).ifPresent(this::tool);
    }

    /** A command the stage runs: its first word is a script (a path) or a program on PATH. */
    public void command(String what, List<String> argv) {
        if (argv == null || argv.isEmpty() || argv.get(0).contains("${evidence}")) {
            return;
        }
        String program = argv.get(0);
        if (program.contains("/")) {
            script(what, program);
        } else {
            tool(program);
        }
    }

    /** The program a script's {@code #!} line names: {@code bash} for {@code #!/usr/bin/env bash}. */
    static Optional<String> interpreter(Path script) {
        String first;
        try (BufferedReader in = Files.newBufferedReader(script, StandardCharsets.ISO_8859_1)) {
            first = in.readLine();
        } catch (IOException e) {
            return Optional.empty();
        }
        if (first == null || !first.startsWith("#!")) {
            return Optional.empty();
        }
        String[] words = first.substring(2).strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            return Optional.empty();
        }
        if (words[0].endsWith("/env")) {
            for (int i = 1; i < words.length; i++) {
                if (!words[i].startsWith("-")) {
                    return Optional.of(words[i]);
                }
            }
            return Optional.empty();
        }
        return Optional.of(words[0]);
    }
}
