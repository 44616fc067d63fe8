package io.vaultcube.pipeline.run.stress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.evidence.EvidenceDir;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.evidence.StageRecord;
import io.vaultcube.pipeline.evidence.StageStatus;
import io.vaultcube.pipeline.exec.MarkedProcesses;
import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.run.Durations;
import io.vaultcube.pipeline.run.Executables;
import io.vaultcube.pipeline.run.RunResult;
import io.vaultcube.pipeline.run.RunSetupException;
import io.vaultcube.pipeline.run.StageRecorder;
import io.vaultcube.pipeline.run.StageSession;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A soak that outlives the process that started it ({@code vault stress --detach}, the Jenkins
 * step across a controller restart): a <em>supervisor</em>, a JVM of its own started with
 * {@code setsid} (a session and process group of its own, no terminal), runs the soak exactly as
 * {@link StressRunner#run} does (sampler, workload, planned end, stop, summary, {@code stage.json}),
 * its console going to {@value #CONSOLE_FILE} in the stage directory. So the soak ends and is judged
 * by the same code at its planned end whether or not anybody is attached then.
 *
 * <p>{@link #attach} follows that console and waits for the supervisor to end, then reads the
 * stage's result; any number of attachers may follow one soak at once (they only read; the one
 * file an attacher may write, the FAILED {@code stage.json} of a supervisor that vanished, is
 * written by the first under a lock ({@value #LOCK_FILE}); the others report what it wrote). An attacher that is killed or
 * interrupted leaves the soak running; {@link #stop} stops it as an abort does (the supervisor's
 * SIGTERM: the workload and the sampler are stopped, what was sampled is summarised, ABORTED).
 *
 * <p>The settings reach the supervisor through its stdin pipe (Java serialization; nothing in argv
 * or on disk), so values to mask never land in a file. {@value #STATE_FILE} holds what an attacher
 * needs to find the supervisor again and to say what the soak is: its pid and start time, the boot
 * it ran in, the plan and the workload's argv (argv never carries a secret).
 */
public final class DetachedSoak {
    /** The state an attacher reads: the supervisor's pid and the plan. */
    public static final String STATE_FILE = "soak-state.json";
    /** What the supervisor prints: the console of a non-detached run. */
    public static final String CONSOLE_FILE = "soak-console.log";
    static final String SCHEMA = "vault-detached-soak/1";
    /** Marks every process of one soak (the supervisor, the sampler, the workload and theirs). */
    static final String SOAK_ID_VARIABLE = "VAULT_SOAK_ID";
    /** How often the console file is read for new lines while the supervisor runs. */
    private static final Duration FOLLOW_POLL = Duration.ofMillis(200);
    /** How far apart two readings of a process's start time may be and still be the same process. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);
    /** How long the supervisor's SIGTERM waits for the soak to stop and be summarised. */
    private static final long SHUTDOWN_WAIT_SECONDS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Held while an attacher records a soak whose supervisor vanished. */
    static final String LOCK_FILE = ".soak-result.lock";
    private static final Object LOST_LOCK = new Object();

    private DetachedSoak() {
    }

    /**
     * How the supervisor is started: a java binary and the classpath that holds the core and the
     * libraries it uses ({@link #supervisorClasses()}).
     */
    public record Launch(Path java, List<Path> classpath) {
        public Launch {
            classpath = List.copyOf(classpath);
        }

        /** This JVM's java and classpath (the vault command). */
        public static Launch thisJvm() {
            List<Path> cp = new ArrayList<>();
            for (String part : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!part.isEmpty()) {
                    cp.add(Path.of(part).toAbsolutePath());
                }
            }
            return new Launch(javaOfThisJvm(), cp);
        }
    }

    /** The java binary of this JVM. */
    public static Path javaOfThisJvm() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * One class of each jar the supervisor loads: the core and Jackson's three (the Jenkins plugin
     * copies the jars of these to the agent). The core's tests start the supervisor on exactly these.
     */
    public static List<Class<?>> supervisorClasses() {
        return List.of(DetachedSoak.class, ObjectMapper.class, com.fasterxml.jackson.core.JsonFactory.class,
                com.fasterxml.jackson.annotation.JsonProperty.class);
    }

    /**
     * What {@value #STATE_FILE} says.
     *
     * @param stageDir the stage directory (absolute)
     * @param pid the supervisor's pid
     * @param pidStarted when the process with that pid started (so that a reused pid is not taken for it)
     * @param bootId the kernel's boot id when it started (after a reboot, it is gone whatever the pid says)
     * @param soakId the value of {@value #SOAK_ID_VARIABLE} in the environment of every process of the soak
     * @param started when the soak was started
     * @param plannedEnd when its planned duration is over (the stop and summary follow)
     * @param duration the planned duration
     * @param interval the sampling interval
     * @param workload the workload's argv
     */
    public record State(Path stageDir, long pid, Instant pidStarted, String bootId, String soakId, Instant started,
            Instant plannedEnd, Duration duration, Duration interval, List<String> workload) {
        public Path console() {
            return stageDir.resolve(CONSOLE_FILE);
        }
    }

    /** A soak that cannot be attached to, stopped or judged; the message names its evidence directory. */
    public static final class AttachException extends IOException {
        private static final long serialVersionUID = 1L;

        AttachException(String message) {
            super(message);
        }
    }

    /**
     * Starts the soak detached and returns once the supervisor runs and {@value #STATE_FILE} is
     * written. The workload and the sampler are checked first, so a soak that cannot run fails here.
     *
     * @throws RunSetupException nothing was started: a missing workload or sampler, a non-empty stage
     */
    public static State detach(StressSettings settings, StageEvidence stage, Launch launch)
            throws RunSetupException, IOException {
        StageSession.requireStageOf(settings, stage);
        Path workDir = Executables.workingDirectory(settings.process().workingDirectory());
        StressRunner.requireTools(settings, workDir);
        StageRecorder.requireEmpty(stage);
        Path stageDir = stage.dir().toAbsolutePath();
        Path console = stage.file(CONSOLE_FILE);
        Files.createFile(console);
        String soakId = UUID.randomUUID().toString();

        List<String> argv = new ArrayList<>();
        // Its own session: no terminal, no hang-up when the starting shell or agent goes away.
        Executables.find("setsid", System.getenv("PATH")).ifPresent(p -> argv.add(p.toString()));
        argv.add(launch.java().toString());
        argv.add("-XX:+UseSerialGC");
        argv.add("-Xmx256m");
        argv.add("-cp");
        argv.add(String.join(File.pathSeparator, launch.classpath().stream().map(Path::toString).toList()));
        argv.add(DetachedSoak.class.getName());
        argv.add(stageDir.toString());
        ProcessBuilder pb = new ProcessBuilder(argv).directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        pb.environment().put(SOAK_ID_VARIABLE, soakId);
        // Not a process of whatever vault run may have started this one: its end must not stop the soak.
        pb.environment().remove(ProcessRunner.COOKIE_VARIABLE);
        Instant started = Instant.now();
        Process supervisor = pb.start();
        try {
            try (ObjectOutputStream out = new ObjectOutputStream(supervisor.getOutputStream())) {
                out.writeObject(settings);
            }
            Instant pidStarted = supervisor.toHandle().info().startInstant().orElse(started);
            State state = new State(stageDir, supervisor.pid(), pidStarted, bootId(), soakId, started,
                    started.plus(settings.duration()), settings.duration(), settings.interval(), settings.workload());
            writeState(state);
            return state;
        } catch (IOException | RuntimeException e) {
            supervisor.destroy();
            throw new IOException("the detached soak could not be started in " + stageDir + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@value #STATE_FILE} of a stage directory; fails naming the directory when it cannot. */
    public static State readState(Path stageDir) throws AttachException {
        Path dir = stageDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new AttachException("cannot attach to the detached soak in " + dir + ": no such directory");
        }
        Path file = dir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            throw new AttachException("cannot attach to the detached soak in " + dir + ": it has no " + STATE_FILE
                    + " (not a detached soak, or its start failed)");
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !SCHEMA.equals(n.path("schema").asText())) {
                throw new IllegalArgumentException("not " + SCHEMA);
            }
            List<String> workload = new ArrayList<>();
            n.path("workload").forEach(a -> workload.add(a.asText()));
            return new State(dir, require(n, "pid").asLong(), Instant.parse(require(n, "pid_started").asText()),
                    require(n, "boot_id").asText(), require(n, "soak_id").asText(),
                    Instant.parse(require(n, "started").asText()), Instant.parse(require(n, "planned_end").asText()),
                    Duration.ofMillis(require(n, "duration_ms").asLong()),
                    Duration.ofMillis(require(n, "interval_ms").asLong()), workload);
        } catch (IOException | RuntimeException e) {
            throw new AttachException("cannot attach to the detached soak in " + dir + ": " + STATE_FILE
                    + " is unreadable (" + e.getMessage() + ")");
        }
    }

    private static JsonNode require(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("no " + field);
        }
        return v;
    }

    private static void writeState(State s) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("schema", SCHEMA);
        n.put("pid", s.pid());
        n.put("pid_started", s.pidStarted().toString());
        n.put("boot_id", s.bootId());
        n.put("soak_id", s.soakId());
        n.put("started", s.started().toString());
        n.put("planned_end", s.plannedEnd().toString());
        n.put("duration_ms", s.duration().toMillis());
        n.put("interval_ms", s.interval().toMillis());
        ArrayNode w = n.putArray("workload");
        s.workload().forEach(w::add);
        Path target = s.stageDir().resolve(STATE_FILE);
        Path tmp = target.resolveSibling("." + STATE_FILE + ".tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The supervisor's process while it runs: same pid, same start time, same boot; else empty. */
    static Optional<ProcessHandle> supervisor(State state) {
        if (!state.bootId().equals(bootId())) {
            return Optional.empty();
        }
        return ProcessHandle.of(state.pid()).filter(ProcessHandle::isAlive).filter(h -> h.info().startInstant()
                .map(t -> Duration.between(t, state.pidStarted()).abs().compareTo(START_TOLERANCE) <= 0)
                .orElse(true));
    }

    /** True while the soak's supervisor runs. */
    public static boolean running(State state) {
        return supervisor(state).isPresent();
    }

    /**
     * Follows the soak: copies its console to {@code out} from the start (what was printed while
     * nobody was attached included), as it grows, until the supervisor has ended; then returns the
     * stage's result as the supervisor wrote it. The console file is read every
     * {@value #FOLLOW_POLL_MS} ms; the supervisor's end is {@link ProcessHandle#onExit()}.
     *
     * <p>A supervisor that is gone without a final {@code stage.json} (killed, the machine
     * rebooted) makes a FAILED stage that says so; its leftover processes are stopped.
     *
     * @throws AttachException no state, or an unreadable one: nothing to follow
     * @throws InterruptedException the attacher was interrupted; the soak goes on
     */
    public static RunResult attach(Path stageDir, OutputStream out) throws IOException, InterruptedException {
        State state = readState(stageDir);
        PrintStream console = new PrintStream(out == null ? OutputStream.nullOutputStream() : out, true,
                StandardCharsets.UTF_8);
        console.println("vault: stress: attached to the detached soak in " + state.stageDir() + " (supervisor pid "
                + state.pid() + ", planned end " + state.plannedEnd().truncatedTo(ChronoUnit.SECONDS)
                + "); its console from the start follows");
        long position = 0;
        Optional<ProcessHandle> running = supervisor(state);
        while (running.isPresent()) {
            position = copyNew(state.console(), position, console);
            try {
                running.get().onExit().get(FOLLOW_POLL.toMillis(), TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                // Still running: read the console again.
            } catch (ExecutionException e) {
                break;
            }
            if (!running.get().isAlive()) {
                break;
            }
        }
        copyNew(state.console(), position, console);
        return result(state, console);
    }

    /** Milliseconds between two reads of the console file (for the documentation). */
    public static final long FOLLOW_POLL_MS = 200;

    /**
     * Stops the soak as an abort does: SIGTERM to the supervisor, which stops the workload and the
     * sampler, summarises what was sampled and records the stage ABORTED; then follows it to its
     * end. When the supervisor is already gone, whatever is left of the soak is stopped.
     */
    public static RunResult stop(Path stageDir, OutputStream out) throws IOException, InterruptedException {
        State state = readState(stageDir);
        Optional<ProcessHandle> running = supervisor(state);
        PrintStream console = new PrintStream(out == null ? OutputStream.nullOutputStream() : out, true,
                StandardCharsets.UTF_8);
        if (running.isPresent()) {
            console.println("vault: stress: stopping the detached soak in " + state.stageDir() + " (SIGTERM to its"
                    + " supervisor, pid " + state.pid() + ")");
            running.get().destroy();
        }
        return attach(stageDir, out);
    }

    /** The result of a soak whose supervisor has ended. */
    private static RunResult result(State state, PrintStream console) throws IOException {
        StageEvidence stage = EvidenceDir.open(state.stageDir().getParent())
                .stage(state.stageDir().getFileName().toString());
        RunResult recorded = recorded(state, stage);
        return recorded != null ? recorded : lost(state, stage, console);
    }

    /** The result the supervisor recorded, or null when it recorded none. */
    private static RunResult recorded(State state, StageEvidence stage) throws IOException {
        StageRecord record = null;
        if (stage.hasRecord()) {
            try {
                record = stage.readRecord();
            } catch (IOException e) {
                throw new AttachException("the detached soak in " + state.stageDir() + " ended but its stage.json is"
                        + " unreadable: " + e.getMessage());
            }
        }
        if (record == null || record.status() == StageStatus.RECORDED) {
            return null;
        }
        MetricSet metrics = stage.hasMetrics() ? stage.readMetrics() : new MetricSet();
        Duration took = record.started() == null || record.ended() == null ? Duration.ZERO
                : Duration.between(record.started(), record.ended());
        return new RunResult(record.status(), metrics, record.messages(), stage.dir(), took);
    }

    /** The supervisor is gone and left no result: the stage FAILS, saying so; leftovers are stopped. */
    private static RunResult lost(State state, StageEvidence stage, PrintStream console) throws IOException {
        // Attachers of one soak, in this JVM and in others, write the record one at a time; a later
        // one reports what the first wrote.
        synchronized (LOST_LOCK) {
            try (FileChannel ch = FileChannel.open(stage.file(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                RunResult first = recorded(state, stage);
                return first != null ? first : recordLost(state, stage, console);
            }
        }
    }

    private static RunResult recordLost(State state, StageEvidence stage, PrintStream console) throws IOException {
        List<Long> left = MarkedProcesses.find(SOAK_ID_VARIABLE, state.soakId());
        left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
        String why = "the detached soak in " + state.stageDir() + " ended without a result: its supervisor (pid "
                + state.pid() + ") is gone and wrote no stage.json (killed, or the machine restarted; see "
                + CONSOLE_FILE + ")" + (left.isEmpty() ? "" : "; " + left.size() + " leftover process(es) were sent"
                        + " SIGTERM");
        console.println("vault: " + why);
        stage.writeRecord(new StageRecord(stage.name(), StageStatus.FAILED, state.started(), Instant.now(), List.of(),
                List.of(why), null));
        return new RunResult(StageStatus.FAILED, new MetricSet(), List.of(why), stage.dir(),
                Duration.between(state.started(), Instant.now()));
    }

    /** Copies what the file holds after {@code from} to the console; returns the new position. */
    private static long copyNew(Path file, long from, PrintStream console) throws IOException {
        if (!Files.isRegularFile(file)) {
            return from;
        }
        // RandomAccessFile, not a channel: an interrupt must not close it mid-read.
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = in.length();
            if (end <= from) {
                return from;
            }
            in.seek(from);
            byte[] buf = new byte[8192];
            long pos = from;
            while (pos < end) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, end - pos));
                if (n <= 0) {
                    break;
                }
                console.write(buf, 0, n);
                pos += n;
            }
            console.flush();
            return pos;
        }
    }

    /** The kernel's boot id, or "unknown" where there is none to read. */
    static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * The supervisor: reads the settings from stdin, runs the soak into the stage directory given
     * as its one argument, and exits. SIGTERM or SIGINT aborts the soak as Ctrl-C aborts
     * {@code vault stress}: the workload and the sampler are stopped and the stage is recorded ABORTED.
     */
    public static void main(String[] args) {
        Thread main = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            try {
                finished.await(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.flush();
        }, "vault-soak-shutdown"));
        int code;
        try {
            code = supervise(Path.of(args[0]), System.in, System.out);
        } catch (Throwable t) {
            System.out.println("vault: stress (detached): internal error: " + t);
            t.printStackTrace(System.out);
            code = 70;
        }
        System.out.flush();
        finished.countDown();
        Runtime.getRuntime().halt(code);
    }

    static int supervise(Path stageDir, InputStream in, PrintStream out) throws IOException, ClassNotFoundException {
        StressSettings settings;
        try (ObjectInputStream settingsIn = new ObjectInputStream(in)) {
            // Only the settings' own types: nothing else may be made from the pipe.
            settingsIn.setObjectInputFilter(ObjectInputFilter.Config.createFilter(
                    "io.vaultcube.pipeline.**;java.**;maxdepth=20;!*"));
            settings = (StressSettings) settingsIn.readObject();
        }
        StageEvidence stage = EvidenceDir.open(stageDir.getParent()).stage(stageDir.getFileName().toString());
        out.println("vault: stress (detached): supervisor pid " + ProcessHandle.current().pid() + ", "
                + Durations.format(settings.duration()) + " planned");
        RunResult result;
        try {
            result = new StressRunner().run(settings, out, stage, Set.of(STATE_FILE, CONSOLE_FILE,
                    "." + STATE_FILE + ".tmp", LOCK_FILE));
        } catch (RunSetupException e) {
            StageRecorder recorder = new StageRecorder(stage);
            recorder.message(e.getMessage());
            out.println("vault: " + e.getMessage());
            result = recorder.finish(StageStatus.FAILED, null);
        }
        out.println("vault: stress (detached): " + result.status() + "; evidence: " + result.stageDirectory());
        return result.status() == StageStatus.SUCCEEDED ? 0 : 1;
    }
}
