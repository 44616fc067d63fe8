package io.vaultcube.pipeline.run.gpu;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricPattern;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.StageEvidence;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import io.vaultcube.pipeline.parse.ParserRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the fixed files of a validate-gpus.sh collection in a stage directory (docs/gpu-validation.md
 * "Evidence files") into the gpu stage's metrics, and decides what is a fault. The same for a live
 * run and a recorded one: the files are the truth; the script's exit code (live) or the last line of
 * its {@code summary.txt} (recorded) adds what only the script knows (for example a load that failed).
 *
 * <ul>
 *   <li>{@code nvidia-smi-query.csv} (kind {@code nvidia-smi}): {@code gpu.count}, {@code gpu[i].*},
 *       the aggregates, {@code gpu.throttled.count}. Required, unless the driver is missing.</li>
 *   <li>{@code nvidia-smi-query-extra.csv} (optional) and {@code nvidia-smi-q.txt} (kind
 *       {@code nvidia-smi-q}, required): names the query CSV does not have; a name both have must
 *       agree on a GPU's uuid and name (else the files are of different GPUs).</li>
 *   <li>{@code kernel.log} (kind {@code kernel-log}, required): {@code xid.*},
 *       {@code gpu.fell_off_bus.count}, {@code nvrm.init_failed.count}.</li>
 *   <li>{@code lspci.txt} (required): {@code gpu.pci_devices}.</li>
 *   <li>{@code nvidia-smi-load.csv} (optional; kind {@code telemetry}): renamed from
 *       {@code telemetry.*} to {@code gpu.load.*}, because {@code telemetry.*} belongs to the stress
 *       stage.</li>
 *   <li>{@code versions.txt}: {@code host.driver_version}, {@code host.cuda_version},
 *       {@code host.nvcc_version}, {@code host.kernel_module}, {@code host.kernel}, {@code host.os}.</li>
 * </ul>
 * {@code load-stress-gpus.json} is not read: {@code stress_gpus.*} belongs to the stress stage; a
 * faulty load fails the script (exit 1), which this stage reports.
 */
final class GpuCollection {
    static final String QUERY = "nvidia-smi-query.csv";
    static final String QUERY_EXTRA = "nvidia-smi-query-extra.csv";
    static final String Q = "nvidia-smi-q.txt";
    static final String KERNEL = "kernel.log";
    static final String LSPCI = "lspci.txt";
    static final String LOAD = "nvidia-smi-load.csv";
    static final String VERSIONS = "versions.txt";
    static final String COMMANDS = "commands.tsv";
    static final String SUMMARY = "summary.txt";
    /** Every file name validate-gpus.sh may write (with FILE.stderr beside some). */
    static final List<String> FILES = List.of(QUERY, QUERY_EXTRA, Q, "nvidia-smi.txt", "nvidia-smi-topo.txt", LOAD,
            "load.log", "load-stress-gpus.json", LSPCI, KERNEL, "proc-driver-version.txt", "nvcc-version.txt", VERSIONS,
            COMMANDS, SUMMARY);
    private static final List<String> VERSION_KEYS = List.of("driver_version", "cuda_version", "nvcc_version",
            "kernel_module", "kernel", "os");
    private static final Pattern NO_DRIVER = Pattern.compile(
            "couldn't communicate with the NVIDIA driver|NVML Shared Library Not Found|Failed to initialize NVML: Driver",
            Pattern.CASE_INSENSITIVE);

    private final StageEvidence stage;
    private final ParserRegistry parsers;
    private final MetricSet metrics = new MetricSet();
    private final Set<String> faults = new LinkedHashSet<>();
    private final List<String> notes = new ArrayList<>();
    /** Exit status per evidence file, from commands.tsv (the last command that wrote it). */
    private final Map<String, Integer> exits = new LinkedHashMap<>();
    private final List<String> summaryFaults = new ArrayList<>();
    private final List<String> summaryMissing = new ArrayList<>();
    private String summaryNoDriver;
    private Integer summaryExit;

    private GpuCollection(StageEvidence stage, ParserRegistry parsers) {
        this.stage = stage;
        this.parsers = parsers;
    }

    /**
     * Reads the stage's files.
     *
     * @param scriptExit the exit status of a live validate-gpus.sh, or null for a recorded collection
     *     (its summary.txt's last line then stands in)
     */
    static GpuCollection read(StageEvidence stage, ParserRegistry parsers, Integer scriptExit,
            GpuValidateSettings expected) throws IOException {
        GpuCollection c = new GpuCollection(stage, parsers);
        c.readCommands();
        c.readSummary();
        c.readAll(scriptExit, expected);
        return c;
    }

    MetricSet metrics() {
        return metrics;
    }

    List<String> faults() {
        return List.copyOf(faults);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    private String ref(String file) {
        return stage.name() + "/" + file;
    }

    private void readAll(Integer scriptExit, GpuValidateSettings expected) throws IOException {
        Integer exit = scriptExit != null ? scriptExit : summaryExit;
        String who = scriptExit != null ? "validate-gpus.sh" : "the recorded validate-gpus.sh run";
        boolean noDriver = false;
        if (exit == null) {
            notes.add("no " + ref(SUMMARY) + " with a final 'exit N' line: the recorded run's own verdict is unknown;"
                    + " judged on its files only");
        } else {
            switch (exit) {
                case 0 -> { }
                case 1 -> faults.add(who + " found " + (summaryFaults.isEmpty() ? "a fault (see " + ref(SUMMARY) + ")"
                        : summaryFaults.size() + " fault(s): " + String.join("; ", summaryFaults)));
                case 3 -> noDriver = true;
                case 4 -> faults.add("the GPU evidence is incomplete (" + who + " exit 4): " + (summaryMissing.isEmpty()
                        ? "see " + ref(SUMMARY) : String.join("; ", summaryMissing)));
                case 2 -> faults.add(who + " refused its options (exit 2); see " + ref(SUMMARY) + " or the log");
                default -> faults.add(who + " failed (exit " + exit + "); see the log and " + ref(SUMMARY));
            }
        }
        Integer queryExit = exits.get(QUERY);
        String queryText = firstText(QUERY);
        if (!noDriver && queryExit != null && (queryExit == 9 || queryExit == 12)) {
            noDriver = true;
        }
        if (!noDriver && queryText != null && NO_DRIVER.matcher(queryText).find()) {
            noDriver = true;
        }
        if (noDriver) {
            String why = summaryNoDriver != null ? summaryNoDriver
                    : queryText != null ? "nvidia-smi (exit " + (queryExit == null ? "?" : queryExit) + "): " + queryText
                    : "nvidia-smi is not installed";
            faults.add("no NVIDIA driver on this host: " + why.strip().replaceAll("\\.+$", "")
                    + ". There is no GPU evidence to judge (see " + ref(SUMMARY) + ")");
        } else {
            readInventory(queryExit, queryText);
        }
        readKernelLog();
        readLspci();
        if (!noDriver) {
            readLoad();
        }
        readVersions();
        checkExpectations(expected);
    }

    private void readInventory(Integer queryExit, String queryText) throws IOException {
        Path query = stage.file(QUERY);
        if (!Files.isRegularFile(query)) {
            faults.add(ref(QUERY) + " is missing: nvidia-smi --query-gpu did not run, so there is no GPU inventory");
            return;
        }
        if (queryExit != null && queryExit != 0) {
            if (queryText != null && queryText.contains("No devices were found")) {
                metrics.add(Metric.number("gpu.count", 0, null, stage.source(QUERY, null)));
                faults.add("the driver reports no GPU (nvidia-smi: No devices were found)");
            } else if (queryExit == 15) {
                faults.add("nvidia-smi --query-gpu: a GPU has fallen off the bus (exit 15): " + queryText);
            } else {
                faults.add("nvidia-smi --query-gpu failed (exit " + queryExit + "): " + queryText);
            }
            return;
        }
        MetricSet inventory = parse("nvidia-smi", QUERY, Map.of());
        if (inventory == null) {
            return;
        }
        metrics.addAll(inventory);
        if (Files.isRegularFile(stage.file(QUERY_EXTRA)) && zeroOrUnknown(QUERY_EXTRA)) {
            MetricSet extra = parse("nvidia-smi", QUERY_EXTRA, Map.of());
            if (extra != null) {
                merge(extra, QUERY_EXTRA);
            }
        }
        if (!Files.isRegularFile(stage.file(Q))) {
            faults.add(ref(Q) + " is missing: nvidia-smi -q " + (exits.containsKey(Q) ? "failed (exit " + exits.get(Q)
                    + ")" : "was not captured") + ", so the per-GPU details (T.Limit, BAR1, PCIe, ECC) are unknown");
        } else if (!zeroOrUnknown(Q)) {
            faults.add("nvidia-smi -q failed (exit " + exits.get(Q) + "; see " + ref(Q) + ")");
        } else {
            MetricSet q = parse("nvidia-smi-q", Q, Map.of());
            if (q != null) {
                merge(q, Q);
                crossCheckQ(q);
            }
        }
    }

    /** Adds the names the stage does not have yet; a GPU's uuid and name must agree where both files have them. */
    private void merge(MetricSet other, String file) {
        for (Metric m : other) {
            Metric existing = metrics.get(m.name()).orElse(null);
            if (existing == null) {
                metrics.add(m);
                continue;
            }
            if (existing.value().equals(m.value())) {
                continue;
            }
            String leaf = m.name().segments().get(m.name().segments().size() - 1).identifier();
            if (leaf.equals("uuid") || leaf.equals("name") || m.name().toString().equals("gpu.count")) {
                faults.add(ref(file) + " and " + ref(QUERY) + " disagree on " + m.name() + " (" + m.value().raw() + " vs "
                        + existing.value().raw() + "): the files are not of the same GPUs");
            }
            // Other values (a P-state) may change between two commands; the inventory's stands.
        }
    }

    /** The -q output's GPU blocks against the inventory: as many, on the same PCI buses. */
    private void crossCheckQ(MetricSet q) {
        q.get("nvsmi.attached_gpus").ifPresent(attached -> metrics.get("gpu.count").ifPresent(count -> {
            if (!attached.value().equals(count.value())) {
                faults.add(ref(Q) + " says " + attached.value().raw() + " attached GPU(s) but " + ref(QUERY) + " lists "
                        + count.value().raw());
            }
        }));
        for (Metric bus : metrics.matching(MetricPattern.parse("gpu[*].pci_bus_id"))) {
            String index = bus.name().keys().get(0);
            q.get(MetricName.root("gpu").at(index).child("pci_bus_id")).ifPresent(qBus -> {
                if (!String.valueOf(qBus.value().raw()).equalsIgnoreCase(String.valueOf(bus.value().raw()))) {
                    faults.add("GPU " + index + " is on PCI bus " + bus.value().raw() + " in " + ref(QUERY) + " but "
                            + qBus.value().raw() + " in " + ref(Q) + ": the files are not of the same GPUs");
                }
            });
        }
    }

    private void readKernelLog() throws IOException {
        if (!Files.isRegularFile(stage.file(KERNEL))) {
            faults.add(ref(KERNEL) + " is missing: the kernel log since boot could not be read (journalctl -k -b and"
                    + " dmesg; run as root or in group adm), so Xids and GPUs fallen off the bus are unknown");
            return;
        }
        MetricSet k = parse("kernel-log", KERNEL, Map.of());
        if (k == null) {
            return;
        }
        metrics.addAll(k);
        long fatal = number(k, "xid.fatal.count");
        long all = number(k, "xid.count");
        String codes = k.get("xid.codes").map(m -> String.valueOf(m.value().raw())).orElse("");
        if (fatal > 0) {
            faults.add("the kernel log since boot has " + fatal + " fatal Xid(s) (codes " + codes + "; see "
                    + ref(KERNEL) + ")");
        } else if (all > 0) {
            notes.add("the kernel log since boot has " + all + " Xid(s) of the application class (codes " + codes
                    + "): investigate if they repeat; the policy's xid gate fails on any Xid");
        }
        long offBus = number(k, "gpu.fell_off_bus.count");
        if (offBus > 0) {
            faults.add("the kernel log since boot says " + offBus + " time(s) that a GPU has fallen off the bus (see "
                    + ref(KERNEL) + ")");
        }
        if (number(k, "nvrm.init_failed.count") > 0) {
            notes.add("the kernel log has 'RmInitAdapter failed': a GPU failed to initialise at least once (open"
                    + " kernel module? Above-4G decoding and ReBAR on?)");
        }
    }

    private void readLspci() throws IOException {
        Path file = stage.file(LSPCI);
        if (!Files.isRegularFile(file)) {
            faults.add(ref(LSPCI) + " is missing: lspci -nn -d 10de: did not run (install pciutils), so a GPU that"
                    + " failed to initialise cannot be seen");
            return;
        }
        if (!zeroOrUnknown(LSPCI)) {
            faults.add("lspci -nn -d 10de: failed (exit " + exits.get(LSPCI) + "; see " + ref(LSPCI) + ")");
            return;
        }
        try {
            long n = LspciCount.gpus(file, ref(LSPCI));
            metrics.add(Metric.number("gpu.pci_devices", n, null, stage.source(LSPCI, null)));
            metrics.get("gpu.count").ifPresent(count -> {
                if (count.number().orElse(-1) != n) {
                    faults.add("lspci shows " + n + " NVIDIA GPU(s) but the driver initialised "
                            + count.value().raw() + ": a GPU failed to initialise (see " + ref(KERNEL) + ")");
                }
            });
        } catch (ParseException e) {
            faults.add("cannot read " + e.getMessage());
        }
    }

    private void readLoad() throws IOException {
        if (!Files.isRegularFile(stage.file(LOAD))) {
            notes.add("no telemetry under load (" + ref(LOAD) + "): the PCIe link under load was not measured here;"
                    + " the stress test measures it");
            return;
        }
        MetricSet load = parse("telemetry", LOAD, Map.of("interval_s", "1"));
        if (load != null) {
            metrics.addAll(load.rebased("telemetry", "gpu.load"));
        }
    }

    private void readVersions() throws IOException {
        Path file = stage.file(VERSIONS);
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (VERSION_KEYS.contains(key) && !value.isEmpty() && !metrics.contains("host." + key)) {
                metrics.add(Metric.text("host." + key, value, stage.source(VERSIONS, (long) i + 1)));
            }
        }
    }

    private void checkExpectations(GpuValidateSettings e) {
        if (e.expectCount() != null) {
            metrics.get("gpu.count").ifPresent(c -> {
                if (c.number().orElse(-1) != e.expectCount()) {
                    faults.add("nvidia-smi sees " + c.value().raw() + " GPU(s), expected " + e.expectCount() + " ("
                            + c.source() + ")");
                }
            });
            metrics.get("gpu.pci_devices").ifPresent(c -> {
                if (c.number().orElse(-1) != e.expectCount()) {
                    faults.add("lspci shows " + c.value().raw() + " NVIDIA GPU(s), expected " + e.expectCount() + " ("
                            + c.source() + ")");
                }
            });
        }
        if (e.expectModel() != null) {
            for (Metric m : metrics.matching(MetricPattern.parse("gpu[*].name"))) {
                if (!e.expectModel().equals(m.value().raw())) {
                    faults.add("GPU " + m.name().keys().get(0) + " is a \"" + m.value().raw() + "\", expected \""
                            + e.expectModel() + "\" (" + m.source() + ")");
                }
            }
        }
        if (e.expectMemoryMib() != null) {
            for (Metric m : metrics.matching(MetricPattern.parse("gpu[*].memory_total_mib"))) {
                if (m.number().orElse(-1) < e.expectMemoryMib()) {
                    faults.add(String.format(Locale.ROOT, "GPU %s has %s MiB, expected at least %d MiB (%s)",
                            m.name().keys().get(0), m.value().raw(), e.expectMemoryMib(), m.source()));
                }
            }
        }
    }

    /** Parses one file with the registry's parser; a ParseException becomes a fault, null returned. */
    private MetricSet parse(String kind, String file, Map<String, String> options) throws IOException {
        try {
            return parsers.require(kind).parse(new ParseInput(stage.file(file), ref(file), options));
        } catch (ParseException e) {
            faults.add("cannot read " + e.getMessage());
            return null;
        }
    }

    private boolean zeroOrUnknown(String file) {
        Integer rc = exits.get(file);
        return rc == null || rc == 0;
    }

    private void readCommands() throws IOException {
        Path file = stage.file(COMMANDS);
        if (!Files.isRegularFile(file)) {
            return;
        }
        for (String line : readLines(file)) {
            String[] parts = line.split("\t", 3);
            if (parts.length < 2 || !parts[0].matches("\\d{1,3}")) {
                continue;
            }
            exits.put(parts[1], Integer.parseInt(parts[0]));
        }
    }

    private static final Pattern EXIT_LINE = Pattern.compile("exit (\\d{1,3})");

    private void readSummary() throws IOException {
        Path file = stage.file(SUMMARY);
        if (!Files.isRegularFile(file)) {
            return;
        }
        String last = null;
        for (String line : readLines(file)) {
            if (line.startsWith("FAULT ")) {
                summaryFaults.add(line.substring(6).strip());
            } else if (line.startsWith("MISSING ")) {
                summaryMissing.add(line.substring(8).strip());
            } else if (line.startsWith("NO NVIDIA DRIVER: ")) {
                summaryNoDriver = line.substring(18).strip();
            }
            if (!line.isBlank()) {
                last = line.strip();
            }
        }
        if (last != null) {
            Matcher m = EXIT_LINE.matcher(last);
            if (m.matches()) {
                summaryExit = Integer.parseInt(m.group(1));
            }
        }
    }

    /** The text of a small file and its .stderr, on one line, at most 300 characters; null when absent. */
    private String firstText(String file) throws IOException {
        StringBuilder s = new StringBuilder();
        for (String name : List.of(file, file + ".stderr")) {
            Path p = stage.file(name);
            if (Files.isRegularFile(p) && Files.size(p) < 1 << 20) {
                for (String line : readLines(p)) {
                    if (!line.isBlank()) {
                        s.append(s.length() == 0 ? "" : " ").append(line.strip());
                    }
                }
            }
        }
        if (s.length() == 0) {
            return null;
        }
        return s.length() > 300 ? s.substring(0, 297) + "..." : s.toString();
    }

    /** Lines of a text file; bytes that are not UTF-8 show as U+FFFD (these files are for messages). */
    private static List<String> readLines(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return text.lines().toList();
    }

    private static long number(MetricSet m, String name) {
        return m.get(name).map(x -> (long) x.number().orElse(0)).orElse(0L);
    }
}
