// Benchmark harness (run by run.sh with the vault jar on the classpath): times, in ONE JVM, bare
// `packer build` (a child process, output to a file) against the Packer runner on the same
// template, alternating, so that JVM start-up is in neither figure. Prints one line per run:
// inprocess bare|vault PAIR WALL_S CPU_S (CPU of the JVM and the tool's whole tree).
//   java -cp cli/target/vault.jar bench/packer/InProcess.java REPS TEMPLATE WORK
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.packer.PackerRunner;
import io.vaultcube.pipeline.run.packer.PackerSettings;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

public class InProcess {
    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[0]);
        Path template = Path.of(args[1]);
        Path work = Path.of(args[2]);
        PackerRunner runner = new PackerRunner();
        for (int i = 0; i < reps; i++) {
            for (int variant = 0; variant < 2; variant++) {
                boolean vaultFirst = i % 2 == 1;
                boolean vault = (variant == 0) == vaultFirst;
                long t0 = System.nanoTime();
                long c0 = cpuTicks();
                if (vault) {
                    Path evidence = Files.createTempDirectory(work, "ev-");
                    RunResult r = runner.run(PackerSettings.builder(template).workingDirectory(work).force(true).build(),
                            OutputStream.nullOutputStream(), EvidenceDir.create(evidence).stage("packer"));
                    if (!r.succeeded()) {
                        throw new IllegalStateException("vault run failed: " + r.messages());
                    }
                } else {
                    Process p = new ProcessBuilder("packer", "build", "-force", template.toString())
                            .directory(work.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(work.resolve("bare-" + i + ".log").toFile())
                            .start();
                    if (p.waitFor() != 0) {
                        throw new IllegalStateException("bare packer build failed");
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
