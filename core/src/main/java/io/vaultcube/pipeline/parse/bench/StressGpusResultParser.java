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
 * The JSON result of {@code scripts/stress-gpus.py --json-out} (kind {@code stress-gpus}, schema
 * {@code vault-stress-gpus/1}). Its verdict must agree with its GPUs: {@code faulty_gpus} equals the
 * GPUs with errors or not ok, and {@code ok} is true only with no faulty GPU and at least one GPU;
 * otherwise the document is refused. {@code ok} says whether the results were right, not whether
 * the run was complete (docs/gpu-validation.md): the stress runner stops the script with SIGINT at
 * the planned end, and the script then writes {@code "interrupted": true} with its verdict, which
 * {@code stress_gpus.complete} reports.
 *
 * <p>A GPU that is not ok is either faulty (wrong results, a worker that failed or died: the
 * script's {@code faulty}, or errors, an {@code error} or iterations when the field is absent) or
 * <em>not verified</em>: it checked no result at all (a soak that ended before the workload's first
 * check, e.g. a slow start on a busy machine). {@code faulty_gpus} counts the faulty ones only;
 * {@code stress_gpus.unverified} counts the others, so "no result was verified" is said as such and
 * never taken for a fault or for a contradiction.
 */
public final class StressGpusResultParser implements EvidenceParser {
    @Override
    public String kind() {
        return "stress-gpus";
    }

    @Override
    public String description() {
        return "stress-gpus.py JSON (vault-stress-gpus/1): per-GPU iterations and errors, faulty GPUs, verdict";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        JsonFields json = new JsonFields(input.sourceName());
        Obj root = json.object(JsonDocuments.readOne(input, JsonDocuments.all()), "the stress result");
        json.requireSchema(root, "vault-stress-gpus/1");
        Arr gpus = json.requireArray(root, "gpus", "the stress result");
        Num faulty = json.requireCount(root, "faulty_gpus", "the stress result", 0);
        Bool ok = json.requireBool(root, "ok", "the stress result");
        Bool interrupted = json.requireBool(root, "interrupted", "the stress result");
        MetricSet m = new MetricSet();
        m.add(Metric.number("stress_gpus.gpus", gpus.items().size(), null, input.whole()));
        long counted = 0;
        long unverified = 0;
        Set<Long> seen = new HashSet<>();
        for (Node n : gpus.items()) {
            Obj g = json.object(n, "gpus[]");
            Num index = json.requireCount(g, "index", "gpus[]", 0);
            if (!seen.add((long) index.value())) {
                throw json.error(index, "GPU " + index.text() + " is listed twice");
            }
            String path = "gpus[" + index.text() + "]";
            MetricName base = MetricName.root("stress_gpus").child("gpu").at((long) index.value());
            Num iterations = json.requireCount(g, "iterations", path, 0);
            Num errors = json.requireCount(g, "errors", path, 0);
            Bool gpuOk = json.requireBool(g, "ok", path);
            if (gpuOk.value() && (errors.value() > 0 || iterations.value() == 0)) {
                throw json.error(gpuOk, path + " says ok with " + errors.text() + " errors after " + iterations.text() + " iterations");
            }
            if (!gpuOk.value()) {
                Bool faultyField = json.optionalBool(g, "faulty", path);
                Str error = json.optionalString(g, "error", path);
                boolean isFaulty = faultyField != null ? faultyField.value()
                        : errors.value() > 0 || error != null || iterations.value() > 0;
                if (isFaulty) {
                    counted++;
                } else if (iterations.value() == 0 && errors.value() == 0) {
                    unverified++;
                } else {
                    throw json.error(faultyField, path + " says not faulty and not ok after " + iterations.text()
                            + " iterations with " + errors.text() + " errors");
                }
            } else if (Boolean.TRUE.equals(json.optionalBool(g, "faulty", path) == null ? null
                    : json.optionalBool(g, "faulty", path).value())) {
                throw json.error(gpuOk, path + " says ok and faulty");
            }
            m.add(Metric.number(base.child("iterations"), iterations.value(), null, input.at(iterations.line())));
            m.add(Metric.number(base.child("errors"), errors.value(), null, input.at(errors.line())));
            m.add(Metric.bool(base.child("ok"), gpuOk.value(), input.at(gpuOk.line())));
            Num maxErr = json.optionalNumber(g, "max_abs_error", path);
            if (maxErr != null) {
                m.add(Metric.number(base.child("max_abs_error"), maxErr.value(), null, input.at(maxErr.line())));
            }
            Str uuid = json.optionalString(g, "uuid", path);
            if (uuid != null) {
                m.add(Metric.text(base.child("uuid"), uuid.value(), input.at(uuid.line())));
            }
        }
        if (counted != faulty.value()) {
            throw json.error(faulty, "faulty_gpus says " + faulty.text() + " but " + counted + " GPUs are faulty"
                    + (unverified > 0 ? " (and " + unverified + " verified no result)" : ""));
        }
        boolean verdict = counted == 0 && unverified == 0 && !gpus.items().isEmpty();
        if (ok.value() != verdict) {
            throw json.error(ok, "ok is " + ok.value() + " but the GPUs say " + verdict);
        }
        m.add(Metric.number("stress_gpus.faulty", faulty.value(), null, input.at(faulty.line())));
        m.add(Metric.number("stress_gpus.unverified", unverified, null, input.whole()));
        m.add(Metric.bool("stress_gpus.ok", ok.value(), input.at(ok.line())));
        m.add(Metric.bool("stress_gpus.complete", !interrupted.value(), input.at(interrupted.line())));
        Num duration = json.optionalNumber(root, "duration_s", "the stress result");
        if (duration != null) {
            m.add(Metric.number("stress_gpus.duration_s", duration.value(), "s", input.at(duration.line())));
        }
        Num planned = json.optionalNumber(root, "planned_duration_s", "the stress result");
        if (planned != null) {
            m.add(Metric.number("stress_gpus.planned_duration_s", planned.value(), "s", input.at(planned.line())));
        }
        Str device = json.optionalString(root, "device", "the stress result");
        if (device != null) {
            m.add(Metric.text("stress_gpus.device", device.value(), input.at(device.line())));
        }
        return m;
    }
}
