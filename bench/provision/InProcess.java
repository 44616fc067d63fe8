// Benchmark harness (run by run.sh with the vault jar on the classpath): times, in ONE JVM, bare
// ansible-playbook (a child process, output to a file) against the provision runner on the same
// playbook, alternating, so that JVM start-up is in neither figure. Prints one line per run:
// inprocess bare|vault PAIR WALL_S CPU_S (CPU of the JVM and the tool's whole tree).
//   java -cp cli/target/vault.jar bench/provision/InProcess.java REPS PLAYBOOK INVENTORY OUT_DIR WORK
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.ansible.AnsibleRunner;
import io.vaultcube.pipeline.run.ansible.AnsibleSettings;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

public class InProcess {
    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[0]);
        Path playbook = Path.of(args[1]);
        Path inventory = Path.of(args[2]);
        String outDir = args[3];
        Path work = Path.of(args[4]);
        AnsibleRunner runner = new AnsibleRunner();
        for (int i = 0; i < reps; i++) {
            for (int variant = 0; variant < 2; variant++) {
                boolean vaultFirst = i % 2 == 1;
                boolean vault = (variant == 0) == vaultFirst;
                long t0 = System.nanoTime();
                long c0 = cpuTicks();
                if (vault) {
                    Path evidence = Files.createTempDirectory(work, "ev-");
                    RunResult r = runner.run(AnsibleSettings.builder(playbook, inventory.toString())
                            .extraVar("out_dir", outDir).build(), OutputStream.nullOutputStream(),
                            EvidenceDir.create(evidence).stage("ansible"));
                    if (!r.succeeded()) {
                        throw new IllegalStateException("vault run failed: " + r.messages());
                    }
                } else {
                    Process p = new ProcessBuilder("ansible-playbook", playbook.toString(), "-i", inventory.toString(),
                            "-e", "out_dir=" + outDir)
                            .redirectErrorStream(true)
                            .redirectOutput(work.resolve("bare-" + i + ".log").toFile())
                            .start();
                    if (p.waitFor() != 0) {
                        throw new IllegalStateException("bare ansible-playbook failed");
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                double cpu = (cpuTicks() - c0) / 100.0;
                System.out.printf("inprocess %s %d %.3f %.2f%n", vault ? "vault" : "bare", i, s, cpu);
            }
        }
    }

    /**
     * CPU time of this JVM plus its waited-for children (the tool and everything it waited for), in
     * clock ticks (USER_HZ = 100 on Linux): utime + stime + cutime + cstime of /proc/self/stat.
     */
    static long cpuTicks() throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
}
