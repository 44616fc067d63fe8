package io.vaultcube.pipeline.parse.bench;

import io.vaultcube.pipeline.evidence.Metric;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The JSON result of {@code scripts/test-pytorch-ddp.py --json-out} (kind {@code ddp}, schema
 * {@code vault-ddp/1}). The scaling efficiency is recomputed as T_N ÷ (N · T_1) from the two
 * medians, and the medians from their lists: a document whose stated figures disagree (relative
 * error above 1e-6) is refused. That is exactly the bug of a script that divides a number by itself.
 */
public final class DdpResultParser implements EvidenceParser {
    static final String SCHEMA = "vault-ddp/1";
    private static final double TOLERANCE = 1e-6;

    @Override
    public String kind() {
        return "ddp";
    }

    @Override
    public String description() {
        return "test-pytorch-ddp.py JSON (vault-ddp/1): throughputs and T_N/(N*T_1), recomputed and checked";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        JsonFields json = new JsonFields(input.sourceName());
        Obj root = json.object(JsonDocuments.readOne(input, JsonDocuments.all()), "the DDP result");
        json.requireSchema(root, SCHEMA);
        Num worldSize = json.requireCount(root, "world_size", "the DDP result", 1);
        Obj single = json.requireObject(root, "single", "the DDP result");
        Obj multi = json.requireObject(root, "multi", "the DDP result");
        Num singleWs = json.requireCount(single, "world_size", "single", 1);
        if (singleWs.value() != 1) {
            throw json.error(singleWs, "single.world_size must be 1 (the single-GPU baseline), not " + singleWs.text());
        }
        Num multiWs = json.requireCount(multi, "world_size", "multi", 1);
        if (multiWs.value() != worldSize.value()) {
            throw json.error(multiWs, "multi.world_size " + multiWs.text() + " differs from world_size " + worldSize.text());
        }
        Num t1 = median(json, single, "single");
        Num tn = median(json, multi, "multi");
        Num stated = json.requireNumber(root, "scaling_efficiency", "the DDP result");
        double efficiency = tn.value() / (worldSize.value() * t1.value());
        if (!close(stated.value(), efficiency)) {
            throw json.error(stated, "scaling_efficiency " + stated.text() + " disagrees with multi.median ÷ (world_size ×"
                    + " single.median) = " + efficiency + ": the script computes it wrongly");
        }
        MetricSet m = new MetricSet();
        m.add(Metric.number("ddp.world_size", worldSize.value(), null, input.at(worldSize.line())));
        m.add(Metric.number("ddp.throughput_samples_per_s", tn.value(), "samples/s", input.at(tn.line())));
        m.add(Metric.number("ddp.single_gpu_throughput_samples_per_s", t1.value(), "samples/s", input.at(t1.line())));
        m.add(Metric.number("ddp.scaling_efficiency", stated.value(), null, input.at(stated.line())));
        Num batch = json.optionalNumber(root, "per_device_batch", "the DDP result");
        if (batch != null && (batch.value() != Math.rint(batch.value()) || batch.value() < 1)) {
            // A batch of -64 samples is no run that happened: refuse it rather than report it.
            throw json.error(batch, "the DDP result.per_device_batch must be a whole number of at least 1, not "
                    + batch.text());
        }
        if (batch != null) {
            m.add(Metric.number("ddp.per_device_batch", batch.value(), null, input.at(batch.line())));
        }
        Bool amp = json.optionalBool(root, "amp", "the DDP result");
        if (amp != null) {
            m.add(Metric.bool("ddp.amp", amp.value(), input.at(amp.line())));
        }
        for (String text : new String[] {"device", "backend", "model"}) {
            Str s = json.optionalString(root, text, "the DDP result");
            if (s != null) {
                m.add(Metric.text("ddp." + text, s.value(), input.at(s.line())));
            }
        }
        Obj versions = json.optionalObject(root, "versions", "the DDP result");
        if (versions != null) {
            for (String v : new String[] {"torch", "cuda", "nccl", "python"}) {
                Str s = json.optionalString(versions, v, "versions");
                if (s != null) {
                    m.add(Metric.text("ddp.version." + v, s.value(), input.at(s.line())));
                }
            }
        }
        return m;
    }

    /** The stated median, checked against the median of the stated list. */
    private static Num median(JsonFields json, Obj run, String path) throws ParseException {
        Arr list = json.requireArray(run, "throughputs_samples_per_s", path);
        if (list.items().isEmpty()) {
            throw json.error(list, path + ".throughputs_samples_per_s is empty: nothing was measured");
        }
        List<Double> values = new ArrayList<>();
        for (Node n : list.items()) {
            if (!(n instanceof Num num) || !(num.value() > 0)) {
                throw json.error(n, path + ".throughputs_samples_per_s must hold positive numbers");
            }
            values.add(num.value());
        }
        Collections.sort(values);
        int k = values.size();
        double median = k % 2 == 1 ? values.get(k / 2) : (values.get(k / 2 - 1) + values.get(k / 2)) / 2;
        Num stated = json.requireNumber(run, "median_samples_per_s", path);
        if (!(stated.value() > 0) || !close(stated.value(), median)) {
            throw json.error(stated, path + ".median_samples_per_s " + stated.text() + " is not the median of its"
                    + " throughputs (" + median + ")");
        }
        return stated;
    }

    static boolean close(double a, double b) {
        return Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }
}
