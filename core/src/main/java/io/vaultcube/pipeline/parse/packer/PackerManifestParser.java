package io.vaultcube.pipeline.parse.packer;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EntityKeys;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.JsonDocuments;
import io.vaultcube.pipeline.parse.JsonDocuments.Arr;
import io.vaultcube.pipeline.parse.JsonDocuments.Node;
import io.vaultcube.pipeline.parse.JsonDocuments.Null;
import io.vaultcube.pipeline.parse.JsonDocuments.Num;
import io.vaultcube.pipeline.parse.JsonDocuments.Obj;
import io.vaultcube.pipeline.parse.JsonDocuments.Str;
import io.vaultcube.pipeline.parse.JsonFields;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The manifest post-processor's JSON (kind {@code packer-manifest}). Packer appends the builds of
 * every run to the same file unless told otherwise, so only the builds of the run named by
 * {@code last_run_uuid} count; a manifest whose last run has no build is refused.
 * Schema (post-processor/manifest/artifact.go): {@code builds[]} of {@code name}, {@code builder_type},
 * {@code build_time} (omitted when zero), {@code files} ({@code null} when none), {@code artifact_id},
 * {@code packer_run_uuid}, {@code custom_data}; and {@code last_run_uuid}.
 */
public final class PackerManifestParser implements EvidenceParser {
    @Override
    public String kind() {
        return "packer-manifest";
    }

    @Override
    public String description() {
        return "packer manifest post-processor JSON: the builds of the last run (last_run_uuid)";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        JsonFields json = new JsonFields(input.sourceName());
        Obj root = json.object(JsonDocuments.readOne(input, JsonDocuments.all()), "the manifest");
        Arr builds = json.requireArray(root, "builds", "the manifest");
        Str last = json.requireString(root, "last_run_uuid", "the manifest");
        if (last.value().isEmpty()) {
            throw json.error(last, "last_run_uuid is empty");
        }
        List<Obj> ofLastRun = new ArrayList<>();
        Set<String> runs = new HashSet<>();
        for (Node n : builds.items()) {
            Obj b = json.object(n, "builds[]");
            Str run = json.requireString(b, "packer_run_uuid", "a build");
            runs.add(run.value());
            if (run.value().equals(last.value())) {
                ofLastRun.add(b);
            }
        }
        if (ofLastRun.isEmpty()) {
            throw json.error(last, "last_run_uuid " + last.value() + " names no build of the manifest");
        }
        MetricSet metrics = new MetricSet();
        metrics.add(Metric.text("packer.manifest.last_run_uuid", last.value(), input.at(last.line())));
        metrics.add(Metric.number("packer.manifest.builds", ofLastRun.size(), null, input.whole()));
        metrics.add(Metric.number("packer.manifest.runs", runs.size(), null, input.whole()));
        for (int i = 0; i < ofLastRun.size(); i++) {
            Obj b = ofLastRun.get(i);
            MetricName base = MetricName.root("packer").child("manifest").child("build").at(i);
            String path = "build " + i + " of the last run";
            Str name = json.requireString(b, "name", path);
            metrics.add(Metric.text(base.child("name"), name.value(), input.at(name.line())));
            Str type = json.requireString(b, "builder_type", path);
            metrics.add(Metric.text(base.child("builder_type"), type.value(), input.at(type.line())));
            Str artifact = json.requireString(b, "artifact_id", path);
            metrics.add(Metric.text(base.child("artifact_id"), artifact.value(), input.at(artifact.line())));
            Num time = json.optionalNumber(b, "build_time", path);
            if (time != null) {
                if (!time.integral() || time.value() < 0) {
                    throw json.error(time, path + ": build_time must be epoch seconds, not " + time.text());
                }
                metrics.add(Metric.number(base.child("build_time"), time.value(), "s", input.at(time.line())));
            }
            Node files = b.get("files");
            if (files == null) {
                throw json.error(b, path + " has no \"files\" member");
            }
            if (files instanceof Null) {
                metrics.add(Metric.number(base.child("files"), 0, null, input.at(files.line())));
            } else {
                Arr list = json.array(files, path + ".files");
                metrics.add(Metric.number(base.child("files"), list.items().size(), null, input.at(list.line())));
                for (int j = 0; j < list.items().size(); j++) {
                    Obj f = json.object(list.items().get(j), path + ".files[" + j + "]");
                    Str fname = json.requireString(f, "name", path + ".files[" + j + "]");
                    Num size = json.requireCount(f, "size", path + ".files[" + j + "]", 0);
                    MetricName fn = base.child("file").at(j);
                    metrics.add(Metric.text(fn.child("name"), fname.value(), input.at(fname.line())));
                    metrics.add(Metric.number(fn.child("size"), size.value(), "B", input.at(size.line())));
                }
            }
            Obj custom = json.optionalObject(b, "custom_data", path);
            if (custom != null) {
                for (Map.Entry<String, Node> e : custom.members().entrySet()) {
                    if (!(e.getValue() instanceof Str s)) {
                        throw json.error(e.getValue(), path + ".custom_data." + e.getKey() + " must be a string");
                    }
                    String key = EntityKeys.check(e.getKey(), "a custom_data key", input.sourceName(), s.line());
                    metrics.add(Metric.text(base.child("custom_data").at(key), s.value(), input.at(s.line())));
                }
            }
        }
        return metrics;
    }
}
