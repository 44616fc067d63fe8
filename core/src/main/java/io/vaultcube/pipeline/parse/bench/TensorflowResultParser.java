package io.vaultcube.pipeline.parse.bench;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.JsonDocuments;
import io.vaultcube.pipeline.parse.JsonDocuments.Arr;
import io.vaultcube.pipeline.parse.JsonDocuments.Bool;
import io.vaultcube.pipeline.parse.JsonDocuments.Node;
import io.vaultcube.pipeline.parse.JsonDocuments.Num;
import io.vaultcube.pipeline.parse.JsonDocuments.Obj;
import io.vaultcube.pipeline.parse.JsonDocuments.Str;
import io.vaultcube.pipeline.parse.JsonFields;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The JSON result of {@code scripts/test-tensorflow.py --json-out} (kind {@code tensorflow}, schema
 * {@code vault-tensorflow/1}). The stated {@code ok} must agree with the per-GPU checks: a document
 * that says ok while a GPU failed, or lists fewer GPUs than it saw, is refused.
 */
public final class TensorflowResultParser implements EvidenceParser {
    @Override
    public String kind() {
        return "tensorflow";
    }

    @Override
    public String description() {
        return "test-tensorflow.py JSON (vault-tensorflow/1): GPUs visible, per-GPU matmul/alloc checks";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        JsonFields json = new JsonFields(input.sourceName());
        Obj root = json.object(JsonDocuments.readOne(input, JsonDocuments.all()), "the TensorFlow result");
        json.requireSchema(root, "vault-tensorflow/1");
        Num visible = json.requireCount(root, "gpus_visible", "the TensorFlow result", 0);
        Arr gpus = json.requireArray(root, "gpus", "the TensorFlow result");
        if (gpus.items().size() != visible.value()) {
            throw json.error(gpus, "gpus lists " + gpus.items().size() + " GPUs but gpus_visible says " + visible.text());
        }
        Bool ok = json.requireBool(root, "ok", "the TensorFlow result");
        MetricSet m = new MetricSet();
        m.add(Metric.number("tensorflow.gpus", visible.value(), null, input.at(visible.line())));
        Str version = json.optionalString(root, "tensorflow_version", "the TensorFlow result");
        if (version != null) {
            m.add(Metric.text("tensorflow.version", version.value(), input.at(version.line())));
        }
        boolean allOk = !gpus.items().isEmpty();
        Set<Long> seen = new HashSet<>();
        for (Node n : gpus.items()) {
            Obj g = json.object(n, "gpus[]");
            Num index = json.requireCount(g, "index", "gpus[]", 0);
            if (!seen.add((long) index.value())) {
                throw json.error(index, "GPU " + index.text() + " is listed twice");
            }
            MetricName base = MetricName.root("tensorflow").child("gpu").at((long) index.value());
            Str name = json.optionalString(g, "name", "gpus[]");
            if (name != null) {
                m.add(Metric.text(base.child("name"), name.value(), input.at(name.line())));
            }
            for (String check : new String[] {"matmul_ok", "alloc_ok"}) {
                Bool b = json.requireBool(g, check, "gpus[" + index.text() + "]");
                m.add(Metric.bool(base.child(check), b.value(), input.at(b.line())));
                allOk &= b.value();
            }
            Str error = json.optionalString(g, "error", "gpus[]");
            if (error != null) {
                allOk = false;
                m.add(Metric.text(base.child("error"), error.value(), input.at(error.line())));
            }
        }
        if (ok.value() && !allOk) {
            throw json.error(ok, "ok is true but " + (gpus.items().isEmpty() ? "no GPU was tested" : "a GPU check failed"));
        }
        m.add(Metric.bool("tensorflow.ok", ok.value(), input.at(ok.line())));
        return m;
    }
}
