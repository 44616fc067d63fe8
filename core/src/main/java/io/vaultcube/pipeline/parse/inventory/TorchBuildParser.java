package io.vaultcube.pipeline.parse.inventory;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.JsonDocuments;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What one environment's PyTorch was built for (kind {@code torch-build}): the JSON object
 * {@code scripts/collect-inventory.sh} writes from the environment's own interpreter, with
 * {@code version} ({@code torch.__version__}), {@code cuda} ({@code torch.version.cuda}, null for a
 * CPU build), {@code cuda_available}, {@code arch_list} ({@code torch.cuda.get_arch_list()}) and
 * {@code arch_flags} (the compiled flags that {@code get_arch_list()} splits, but hides as
 * {@code []} when no GPU is usable, as on an image build machine).
 *
 * <p>Option {@code environment} (required). Metrics under {@code inventory.python[ENV].torch}:
 * {@code version}, {@code cuda} (absent for a CPU build), {@code cuda_available}, and
 * {@code arch_list}: the architectures, separated by single spaces ({@code sm_75 sm_80 ... sm_120});
 * the compiled flags when {@code get_arch_list()} is empty, left out when both are (a CPU build), so
 * a gate such as {@code matches: '(.* )?sm_120( .*)?'} fails closed with "no evidence". A field of
 * the wrong type, or two lists that disagree, is refused.
 */
public final class TorchBuildParser implements EvidenceParser {

    @Override
    public String kind() {
        return "torch-build";
    }

    @Override
    public String description() {
        return "the torch version, CUDA version and CUDA arch list of one environment (option environment=NAME)";
    }

    @Override
    public Set<String> options() {
        return Set.of("environment");
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        String env = input.option("environment");
        if (env == null || env.isBlank()) {
            throw new ParseException(input.sourceName(), 0, "the torch-build format needs the option environment=NAME");
        }
        List<JsonDocuments.Node> docs = JsonDocuments.readAll(input, path -> true);
        if (docs.size() != 1 || !(docs.get(0) instanceof JsonDocuments.Obj o)) {
            throw new ParseException(input.sourceName(), 1, "expected one JSON object {version, cuda, cuda_available,"
                    + " arch_list, arch_flags}");
        }
        if (!(o.get("version") instanceof JsonDocuments.Str version) || version.value().isBlank()) {
            throw new ParseException(input.sourceName(), o.line(), "version must be the torch version as text");
        }
        if (!(o.get("cuda_available") instanceof JsonDocuments.Bool available)) {
            throw new ParseException(input.sourceName(), o.line(), "cuda_available must be true or false");
        }
        List<String> archList = archs(o, "arch_list", input);
        List<String> archFlags = archs(o, "arch_flags", input);
        if (!archList.isEmpty() && !archFlags.isEmpty() && !archList.equals(archFlags)) {
            throw new ParseException(input.sourceName(), o.line(), "arch_list " + archList + " and arch_flags "
                    + archFlags + " disagree; torch.cuda.get_arch_list() splits the same flags");
        }
        MetricName torch = MetricName.root("inventory").child("python").at(env).child("torch");
        MetricSet metrics = new MetricSet();
        metrics.add(Metric.text(torch.child("version"), version.value(), input.at(version.line())));
        JsonDocuments.Node cuda = o.get("cuda");
        if (cuda instanceof JsonDocuments.Str c && !c.value().isBlank()) {
            metrics.add(Metric.text(torch.child("cuda"), c.value(), input.at(c.line())));
        } else if (cuda != null && !(cuda instanceof JsonDocuments.Null)) {
            throw new ParseException(input.sourceName(), o.line(), "cuda must be text or null");
        }
        metrics.add(Metric.bool(torch.child("cuda_available"), available.value(), input.at(available.line())));
        List<String> archs = archList.isEmpty() ? archFlags : archList;
        if (!archs.isEmpty()) {
            // Joined from the list's items, so it cites the file (the items may span lines).
            metrics.add(Metric.text(torch.child("arch_list"), String.join(" ", archs), input.whole()));
        }
        return metrics;
    }

    private static List<String> archs(JsonDocuments.Obj o, String field, ParseInput input) throws ParseException {
        JsonDocuments.Node node = o.get(field);
        if (node == null || node instanceof JsonDocuments.Null) {
            return List.of();
        }
        if (!(node instanceof JsonDocuments.Arr arr)) {
            throw new ParseException(input.sourceName(), o.line(), field + " must be a list of architectures");
        }
        List<String> out = new ArrayList<>();
        for (JsonDocuments.Node item : arr.items()) {
            if (!(item instanceof JsonDocuments.Str s) || !s.value().matches("(sm|compute)_[0-9]+[a-z]?")) {
                throw new ParseException(input.sourceName(), arr.line(), field
                        + " must hold architectures such as sm_120 or compute_120");
            }
            out.add(s.value());
        }
        return out;
    }
}
