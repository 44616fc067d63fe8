package io.vaultcube.pipeline.pipeline;

import io.vaultcube.pipeline.exec.ProcessResult;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.exec.ProcessSpec;
import io.vaultcube.pipeline.run.Executables;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Debian packages a pipeline file lists ({@code debian_packages}): which are missing, and
 * installing them with apt-get, as root or through {@code sudo -n} (never a password prompt: a
 * pipeline may run unattended). This is how the README's main job sets up a fresh machine, as
 * {@code ./vault} builds the CLI on first use.
 */
public final class DebianPackages {
    /** Debian Policy 5.6.1: lower case, digits, + - . ; at least two; starts with a letter or digit. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");

    /** Why installing is not possible here, with what the user can do instead. */
    public static final class CannotInstall extends Exception {
        private static final long serialVersionUID = 1L;

        CannotInstall(String message) {
            super(message);
        }
    }

    private final Map<String, String> environment;
    private final long uid;

    /** This process's environment and user. */
    public DebianPackages() {
        this(System.getenv(), currentUid());
    }

    /**
     * @param environment where PATH finds dpkg-query, apt-get and sudo
     * @param uid the user vault runs as (0: root, installs directly)
     */
    DebianPackages(Map<String, String> environment, long uid) {
        this.environment = Map.copyOf(environment);
        this.uid = uid;
    }

    /** The packages of {@code names} that dpkg does not report as installed, in order. */
    public List<String> missing(List<String> names) throws IOException {
        if (names.isEmpty()) {
            return List.of();
        }
        Optional<Path> dpkgQuery = Executables.find("dpkg-query", environment.get("PATH"));
        if (dpkgQuery.isEmpty()) {
            // Not a Debian-like system: nothing can be installed; the preflight names the tools.
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ProcessResult r = run(ProcessSpec.builder(dpkgQuery.get().toString(), "-W", "-f=${db:Status-Status}\n", name)
                    .console(out).mergeStderr(false));
            // Exit 1 with nothing on stdout: no such package known to dpkg.
            if (r.exitCode() != 0 || !out.toString(StandardCharsets.UTF_8).strip().equals("installed")) {
                missing.add(name);
            }
        }
        return missing;
    }

    /**
     * Installs {@code names} with {@code apt-get install --no-install-recommends}, streaming apt's
     * output to {@code console}; runs {@code apt-get update} first when the package lists are empty
     * (a fresh container) or when the first install cannot find a package.
     *
     * @throws CannotInstall when vault is not root and sudo is missing or needs a password, or apt-get fails
     */
    public void install(List<String> names, PrintStream console) throws IOException, CannotInstall {
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a Debian package name: " + name);
            }
        }
        String yourself = "install them yourself (sudo apt-get install " + String.join(" ", names) + ") and run again";
        Optional<Path> aptGet = Executables.find("apt-get", environment.get("PATH"));
        if (aptGet.isEmpty()) {
            throw new CannotInstall("apt-get is not on PATH (not a Debian-like system?); " + yourself);
        }
        List<String> prefix = new ArrayList<>();
        String how;
        if (uid == 0) {
            how = "as root";
        } else {
            Optional<Path> sudo = Executables.find("sudo", environment.get("PATH"));
            if (sudo.isEmpty()) {
                throw new CannotInstall("vault runs as a user (uid " + uid + "), not root, and sudo is not installed; "
                        + yourself);
            }
            ProcessResult probe = run(ProcessSpec.builder(sudo.get().toString(), "-n", "true")
                    .console(OutputStream.nullOutputStream()));
            if (!probe.succeeded()) {
                throw new CannotInstall("vault runs as a user (uid " + uid + "), not root, and sudo asks for a password"
                        + " (vault never prompts for one); " + yourself);
            }
            prefix.add(sudo.get().toString());
            prefix.add("-n");
            // sudo resets the environment; a variable on its command line is passed on.
            prefix.add("DEBIAN_FRONTEND=noninteractive");
            how = "through sudo";
        }
        console.println("vault: installing the Debian packages " + String.join(", ", names) + " with apt-get (" + how
                + "); they are in the pipeline file's debian_packages and not installed. --no-install skips this.");
        if (packageListsEmpty()) {
            aptGet(prefix, aptGet.get(), List.of("update"), console);
        }
        List<String> install = new ArrayList<>(List.of("install", "-y", "--no-install-recommends"));
        install.addAll(names);
        if (!aptGet(prefix, aptGet.get(), install, console)) {
            // Stale lists ("Unable to locate package"): refresh once and try again.
            if (!aptGet(prefix, aptGet.get(), List.of("update"), console)
                    || !aptGet(prefix, aptGet.get(), install, console)) {
                throw new CannotInstall("apt-get could not install " + String.join(", ", names)
                        + " (its output is above); " + yourself);
            }
        }
        List<String> still = missing(names);
        if (!still.isEmpty()) {
            throw new CannotInstall("apt-get finished but dpkg does not report " + String.join(", ", still)
                    + " as installed; " + yourself);
        }
    }

    private boolean aptGet(List<String> prefix, Path aptGet, List<String> args, PrintStream console) throws IOException {
        List<String> argv = new ArrayList<>(prefix);
        argv.add(aptGet.toString());
        argv.addAll(args);
        ProcessResult r = run(ProcessSpec.builder(argv).env("DEBIAN_FRONTEND", "noninteractive")
                .console(console).mergeStderr(true).timeout(Duration.ofMinutes(30)));
        return r.succeeded();
    }

    private ProcessResult run(ProcessSpec.Builder spec) throws IOException {
        spec.env(Map.of("PATH", environment.getOrDefault("PATH", "/usr/bin:/bin")));
        return new ProcessRunner().run(spec.build());
    }

    /** No {@code *_Packages} index under /var/lib/apt/lists: apt-get install would find nothing. */
    private static boolean packageListsEmpty() throws IOException {
        Path lists = Path.of("/var/lib/apt/lists");
        if (!Files.isDirectory(lists)) {
            return true;
        }
        try (var files = Files.list(lists)) {
            return files.noneMatch(f -> f.getFileName().toString().endsWith("_Packages")
                    || f.getFileName().toString().contains("_Packages."));
        }
    }

    /** The real user id, from /proc/self/status (Linux); -1 when it cannot be read. */
    static long currentUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: unknown, treated as not root
        }
        return -1;
    }
}
