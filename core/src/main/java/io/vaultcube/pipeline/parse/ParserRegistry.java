package io.vaultcube.pipeline.parse;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parsers, by kind. Immutable; {@link #standard()} holds every format the project reads. */
public final class ParserRegistry {
    /**
     * Every metric subject with the stage that makes it: the parsers' (docs/metrics.md), and the
     * few the runners write themselves ({@code stress}). The gate's hints and the report's
     * benchmark bars read this list and no other.
     */
    public static final List<Subject> SUBJECTS = List.of(
            new Subject("packer", "packer", false),
            new Subject("ansible", "ansible", false),
            new Subject("inventory", "inventory", false),
            new Subject("gpu", "gpu", false),
            new Subject("xid", "gpu", false),
            new Subject("telemetry", "stress", false),
            new Subject("stress", "stress", false),
            new Subject("ddp", "bench-ddp", true),
            new Subject("vllm", "bench-vllm", true),
            new Subject("tensorflow", "bench-tensorflow", true),
            new Subject("gpu_burn", "stress", true),
            new Subject("stress_gpus", "stress", true),
            new Subject("nccl", null, true),
            new Subject("dcgm", null, true));

    private final Map<String, EvidenceParser> byKind = new LinkedHashMap<>();

    public ParserRegistry(Collection<? extends EvidenceParser> parsers) {
        for (EvidenceParser p : parsers) {
            if (byKind.putIfAbsent(p.kind(), p) != null) {
                throw new IllegalArgumentException("two parsers for kind " + p.kind());
            }
        }
    }

    /** Every parser of the project. */
    public static ParserRegistry standard() {
        return new ParserRegistry(List.of(
                // One entry per format; see docs/metrics.md.
                new io.vaultcube.pipeline.parse.packer.PackerLogParser(),
                new io.vaultcube.pipeline.parse.packer.PackerManifestParser(),
                new io.vaultcube.pipeline.parse.packer.PackerChecksumParser(),
                new io.vaultcube.pipeline.parse.ansible.AnsibleLogParser(),
                new io.vaultcube.pipeline.parse.ansible.AnsibleJsonParser(),
                new io.vaultcube.pipeline.parse.nvidia.NvidiaSmiQueryParser(),
                new io.vaultcube.pipeline.parse.nvidia.NvidiaSmiQParser(),
                new io.vaultcube.pipeline.parse.nvidia.DmonParser(),
                new io.vaultcube.pipeline.parse.nvidia.TelemetryParser(),
                new io.vaultcube.pipeline.parse.kernel.KernelLogParser(),
                new io.vaultcube.pipeline.parse.bench.DdpResultParser(),
                new io.vaultcube.pipeline.parse.bench.VllmResultParser(),
                new io.vaultcube.pipeline.parse.bench.GpuBurnParser(),
                new io.vaultcube.pipeline.parse.bench.NcclTestsParser(),
                new io.vaultcube.pipeline.parse.bench.DcgmDiagParser(),
                new io.vaultcube.pipeline.parse.bench.TensorflowResultParser(),
                new io.vaultcube.pipeline.parse.bench.StressGpusResultParser(),
                new io.vaultcube.pipeline.parse.inventory.DpkgQueryParser(),
                new io.vaultcube.pipeline.parse.inventory.PipListParser(),
                new io.vaultcube.pipeline.parse.inventory.TorchBuildParser(),
                new io.vaultcube.pipeline.parse.inventory.KernelReleaseParser(),
                new io.vaultcube.pipeline.parse.inventory.NvidiaDriverVersionParser(),
                new io.vaultcube.pipeline.parse.inventory.NvidiaSmiInventoryParser()
        ));
    }

    /** What is known of a metric subject, if it is one of {@link #SUBJECTS}. */
    public static Optional<Subject> subject(String name) {
        return SUBJECTS.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<EvidenceParser> find(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    /** The parser of a kind; the exception lists the kinds there are. */
    public EvidenceParser require(String kind) {
        EvidenceParser parser = byKind.get(kind);
        if (parser == null) {
            throw new IllegalArgumentException("no parser for kind '" + kind + "'; known kinds: " + kinds());
        }
        return parser;
    }

    public java.util.Set<String> kinds() {
        return java.util.Collections.unmodifiableSet(byKind.keySet());
    }

    public Collection<EvidenceParser> parsers() {
        return java.util.Collections.unmodifiableCollection(byKind.values());
    }
}
