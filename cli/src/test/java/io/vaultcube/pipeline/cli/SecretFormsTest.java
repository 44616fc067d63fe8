package io.vaultcube.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcube.pipeline.evidence.EvidenceDir;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret forms of {@code vault provision} and {@code vault packer-build}, with vault in a JVM of
 * its own and the real ansible-playbook and packer: while the tool is held inside its run (a task
 * that reads a FIFO the test opens), no process on the machine has the secret on its command line,
 * neither the vault JVM nor anything it started; afterwards it is in no console line, evidence file
 * or file left anywhere in the run's directories (HOME, the JVM's temporary directory included).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@org.junit.jupiter.api.Tag("slow") // starts real tools, JVMs, servers or a browser: left out of ./test.sh --fast
class SecretFormsTest {
    @TempDir
    Path tmp;

    @Test
    void aSensitiveExtraVarFromTheEnvironmentIsOnNoCommandLineAndInNoFile() throws Exception {
        String secret = "tok-" + UUID.randomUUID();
        Path fifo = mkfifo(tmp.resolve("hold.fifo"));
        Path playbook = tokenPlaybook(secret, fifo);
        Path inventory = Files.writeString(tmp.resolve("inventory.ini"),
                "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
        Path evidence = tmp.resolve("evidence");
        try (VaultProcess vault = VaultProcess.start(tmp.resolve("cwd"), environment(Map.of("VAULT_TEST_TOKEN", secret)),
                "provision", playbook.toString(), "-i", inventory.toString(),
                "--sensitive-extra-var-from-env", "token=VAULT_TEST_TOKEN", "--evidence", evidence.toString())) {
            List<String> tree = holdAndInspect(vault, fifo, secret);
            assertThat(tree).anySatisfy(c -> assertThat(c).contains("ansible-playbook"))
                    .anySatisfy(c -> assertThat(c).contains("cat " + fifo));

            assertThat(vault.waitFor()).as(vault.output()).isZero();
            assertThat(vault.output()).contains("the token is ****", "vault provision: SUCCEEDED")
                    .doesNotContain(secret);
        }
        assertThat(EvidenceDir.open(evidence).readAllMetrics().values()).containsEntry("ansible.failed", 0L);
        assertNoFileHolds(tmp, secret, List.of());
        assertNoPrivateDirectoryLeft();
    }

    @Test
    void aPipelinesSensitiveExtraVarFromAFileIsOnNoCommandLineAndInNoFileButItsOwn() throws Exception {
        String secret = "file-tok-" + UUID.randomUUID();
        Path secretFile = Files.writeString(tmp.resolve("token.txt"), secret + "\n");
        Path fifo = mkfifo(tmp.resolve("hold.fifo"));
        tokenPlaybook(secret, fifo);
        Files.writeString(tmp.resolve("inventory.ini"),
                "localhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n");
        Path pipeline = Files.writeString(tmp.resolve("pipeline.yaml"), """
                schema: vault-pipeline/1
                name: secret-file
                stages:
                  - name: ansible
                    run: provision
                    playbook: site.yml
                    inventory: inventory.ini
                    sensitive_extra_vars_from_file: {token: token.txt}
                """);
        Path evidence = tmp.resolve("evidence");
        try (VaultProcess vault = VaultProcess.start(tmp, environment(Map.of()), "pipeline", "run",
                pipeline.toString(), "--no-install", "--evidence", evidence.toString())) {
            List<String> tree = holdAndInspect(vault, fifo, secret);
            assertThat(tree).anySatisfy(c -> assertThat(c).contains("ansible-playbook"));
            assertThat(vault.waitFor()).as(vault.output()).isZero();
            assertThat(vault.output()).contains("the token is ****").doesNotContain(secret);
        }
        assertThat(EvidenceDir.open(evidence).readAllMetrics().values()).containsEntry("ansible.failed", 0L);
        assertNoFileHolds(tmp, secret, List.of(secretFile));
        assertNoPrivateDirectoryLeft();
    }

    @Test
    void controlTheInspectionSeesAValueGivenOnTheCommandLine() throws Exception {
        // The same run with -e: the value is on the vault JVM's command line, and the scan must say so
        // (else the tests above could pass by looking at the wrong moment or the wrong processes).
        String value = "visible-" + UUID.randomUUID();
        Path fifo = mkfifo(tmp.resolve("hold.fifo"));
        Path playbook = Files.writeString(tmp.resolve("site.yml"), """
                # Synthetic test playbook: waits on a FIFO.
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: Wait for the test
                      ansible.builtin.command: cat %s
                      changed_when: false
                """.formatted(fifo));
        try (VaultProcess vault = VaultProcess.start(tmp.resolve("cwd"), environment(Map.of()), "provision",
                playbook.toString(), "-i", "localhost,", "-e", "ansible_connection=local", "-e",
                "ansible_python_interpreter=/usr/bin/python3", "-e", "token=" + value, "--evidence",
                tmp.resolve("evidence").toString())) {
            Inspection seen = inspectWhileHeld(vault, fifo, value);
            assertThat(seen.leaks()).as("the vault JVM's own command line").hasSize(1);
            assertThat(seen.leaks().get(0)).startsWith(vault.handle().pid() + ": ");
            assertThat(vault.waitFor()).as(vault.output()).isZero();
        }
    }

    @Test
    void aSensitiveVarFromAFileIsOnNoCommandLineAndInNoFileButItsOwn() throws Exception {
        String secret = "pw-" + UUID.randomUUID();
        Path secretFile = Files.writeString(tmp.resolve("password.txt"), secret + "\n");
        Path fifo = mkfifo(tmp.resolve("hold.fifo"));
        Path template = passwordTemplate(fifo);
        Path evidence = tmp.resolve("evidence");
        try (VaultProcess vault = VaultProcess.start(tmp.resolve("cwd"), environment(Map.of()), "packer-build",
                template.toString(), "--sensitive-var-file", "password=" + secretFile, "--evidence",
                evidence.toString())) {
            List<String> tree = holdAndInspect(vault, fifo, secret);
            assertThat(tree).anySatisfy(c -> assertThat(c).contains("packer build"))
                    .anySatisfy(c -> assertThat(c).contains("cat " + fifo));

            assertThat(vault.waitFor()).as(vault.output()).isZero();
            assertThat(vault.output()).contains("password is ****", "vault packer-build: SUCCEEDED")
                    .doesNotContain(secret);
        }
        assertNoFileHolds(tmp, secret, List.of(secretFile));
        assertNoPrivateDirectoryLeft();
    }

    @Test
    void aPipelinesSensitiveVarFromAFileIsOnNoCommandLineAndInNoFileButItsOwn() throws Exception {
        String secret = "pipeline-pw-" + UUID.randomUUID();
        Path secretFile = Files.writeString(tmp.resolve("password.txt"), secret + "\n");
        Path fifo = mkfifo(tmp.resolve("hold.fifo"));
        passwordTemplate(fifo);
        Path pipeline = Files.writeString(tmp.resolve("pipeline.yaml"), """
                schema: vault-pipeline/1
                name: secret-file
                stages:
                  - name: image
                    run: packer-build
                    template: t.pkr.hcl
                    sensitive_vars_from_file: {password: password.txt}
                """);
        Path evidence = tmp.resolve("evidence");
        try (VaultProcess vault = VaultProcess.start(tmp, environment(Map.of()), "pipeline", "run",
                pipeline.toString(), "--no-install", "--evidence", evidence.toString())) {
            List<String> tree = holdAndInspect(vault, fifo, secret);
            assertThat(tree).anySatisfy(c -> assertThat(c).contains("packer build"));
            assertThat(vault.waitFor()).as(vault.output()).isZero();
            assertThat(vault.output()).contains("password is ****").doesNotContain(secret);
        }
        assertNoFileHolds(tmp, secret, List.of(secretFile));
        assertNoPrivateDirectoryLeft();
    }

    /** A synthetic template that prints its sensitive variable, then waits on the FIFO. */
    private Path passwordTemplate(Path fifo) throws IOException {
        return Files.writeString(tmp.resolve("t.pkr.hcl"), """
                # Synthetic test template: prints the sensitive variable, then waits on a FIFO.
                variable "password" {
                  type      = string
                  sensitive = true
                }
                source "file" "art" {
                  content = "built"
                  target  = "%s"
                }
                build {
                  sources = ["source.file.art"]
                  provisioner "shell-local" {
                    inline = ["echo password is ${var.password}", "cat %s > /dev/null"]
                  }
                }
                """.formatted(tmp.resolve("artifact.txt"), fifo));
    }

    @Test
    void theArgvFormsSayInTheirHelpThatOthersCanReadThem() throws Exception {
        for (String command : List.of("packer-build", "provision")) {
            MainTest.Run help = MainTest.vault(command, "--help");
            assertThat(help.out().replaceAll("\\s+", " ")).as(command)
                    .contains("other users of this machine can read (ps, /proc) while vault runs");
        }
        MainTest.Run unset = MainTest.vault("provision", "site.yml", "-i", "localhost,",
                "--sensitive-extra-var-from-env", "token=VAULT_TEST_SURELY_UNSET_VARIABLE");
        assertThat(unset.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unset.err()).contains("the environment variable VAULT_TEST_SURELY_UNSET_VARIABLE is not set");
        MainTest.Run notAName = MainTest.vault("packer-build", "t.pkr.hcl", "--sensitive-var-from-env",
                "password=hunter2 secret");
        assertThat(notAName.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(notAName.err()).contains("not an environment variable name");
    }

    /** The test's environment for vault: HOME and the JVM's temporary directory inside the test directory. */
    private Map<String, String> environment(Map<String, String> more) throws IOException {
        Map<String, String> env = new java.util.HashMap<>(more);
        env.put("HOME", Files.createDirectories(tmp.resolve("home")).toString());
        env.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("jvm-tmp")));
        env.put("ANSIBLE_CONFIG", tmp.resolve("no-ansible.cfg").toString());
        return env;
    }

    /**
     * Waits until the tool's task opens the FIFO (it is then inside its run, everything started),
     * reads every process's command line, lets the task go on, and returns the command lines of
     * vault's process tree. Fails when any process on the machine has the secret on its command line.
     */
    private static List<String> holdAndInspect(VaultProcess vault, Path fifo, String secret) throws Exception {
        Inspection seen = inspectWhileHeld(vault, fifo, secret);
        assertThat(seen.leaks()).as("processes with the secret on their command line").isEmpty();
        return seen.tree();
    }

    /** What the machine's command lines showed while the task was held. */
    private record Inspection(List<String> leaks, List<String> tree) {
    }

    private static Inspection inspectWhileHeld(VaultProcess vault, Path fifo, String secret) throws Exception {
        // Opening a FIFO for writing blocks until its reader (the task's cat) opens it: the event.
        CompletableFuture<OutputStream> writer = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.newOutputStream(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        OutputStream held = null;
        while (held == null) {
            try {
                held = writer.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!vault.isAlive()) {
                    // Unblock the writer before failing: open the FIFO's other end ourselves.
                    try (var unused = Files.newInputStream(fifo)) {
                        writer.get(10, TimeUnit.SECONDS);
                    }
                    throw new AssertionError("vault ended before the task started:\n" + vault.output());
                }
            } catch (ExecutionException e) {
                throw new AssertionError("cannot open the FIFO", e.getCause());
            }
        }
        List<String> leaks = new ArrayList<>();
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            all.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                String cmdline = cmdline(p.resolve("cmdline"));
                if (cmdline.contains(secret)) {
                    leaks.add(p.getFileName() + ": " + cmdline);
                }
            });
        }
        List<String> tree = new ArrayList<>();
        tree.add(cmdline(Path.of("/proc", Long.toString(vault.handle().pid()), "cmdline")));
        vault.handle().descendants().forEach(h -> tree.add(cmdline(Path.of("/proc", Long.toString(h.pid()), "cmdline"))));
        try (OutputStream out = held) {
            out.write('\n');
        }
        return new Inspection(leaks, tree);
    }

    private static String cmdline(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return ""; // the process ended meanwhile
        }
    }

    private void assertNoFileHolds(Path dir, String secret, List<Path> except) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !except.contains(f)).toList()) {
                if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(secret)) {
                    found.add(tmp.relativize(f).toString());
                }
            }
        }
        assertThat(found).as("files that hold the secret").isEmpty();
    }

    private void assertNoPrivateDirectoryLeft() throws IOException {
        try (Stream<Path> left = Files.list(tmp.resolve("jvm-tmp"))) {
            assertThat(left.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("vault-")).toList())
                    .as("private directories left behind").isEmpty();
        }
    }

    /** site.yml: checks that {{ token }} arrived intact, shows it, then waits on the FIFO. */
    private Path tokenPlaybook(String secret, Path fifo) throws Exception {
        return Files.writeString(tmp.resolve("site.yml"), """
                # Synthetic test playbook: checks the secret arrived, shows it, then waits on a FIFO.
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: The secret arrived intact
                      ansible.builtin.assert:
                        that:
                          - token | hash('sha1') == '%s'
                    - name: Show it
                      ansible.builtin.debug:
                        msg: "the token is {{ token }}"
                    - name: Wait for the test
                      ansible.builtin.command: cat %s
                      changed_when: false
                """.formatted(sha1(secret), fifo));
    }

    private static Path mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
        return path;
    }

    private static String sha1(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
