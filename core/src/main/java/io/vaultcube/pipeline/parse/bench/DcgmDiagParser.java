package io.vaultcube.pipeline.parse.bench;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.EntityKeys;
import io.vaultcube.pipeline.parse.EvidenceParser;
import io.vaultcube.pipeline.parse.JsonDocuments;
import io.vaultcube.pipeline.parse.JsonDocuments.Arr;
import io.vaultcube.pipeline.parse.JsonDocuments.Node;
import io.vaultcube.pipeline.parse.JsonDocuments.Num;
import io.vaultcube.pipeline.parse.JsonDocuments.Obj;
import io.vaultcube.pipeline.parse.JsonDocuments.Str;
import io.vaultcube.pipeline.parse.JsonFields;
import io.vaultcube.pipeline.parse.Numbers;
import io.vaultcube.pipeline.parse.ParseException;
import io.vaultcube.pipeline.parse.ParseInput;
import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code dcgmi diag -r N -j} (kind {@code dcgm}) in DCGM 4.x form ({@code "DCGM Diagnostic"},
 * results by {@code entity_id}, {@code test_summary.status}) and 3.x form
 * ({@code "DCGM GPU Diagnostic"}, results by {@code gpu_id}). Each test's status is Pass, Fail, Warn
 * or Skip (Not Run counts as Skip). A Skip is not a pass: {@code dcgm.ok} is true only when at least
 * one test ran and every test passed. A test's status in 3.x is derived from its results: Fail if
 * any failed, else Warn if any warned, else Skip if any skipped, else Pass.
 */
public final class DcgmDiagParser implements EvidenceParser {
    @Override
    public String kind() {
        return "dcgm";
    }

    @Override
    public String description() {
        return "dcgmi diag -j JSON (DCGM 3.x and 4.x): Pass/Fail/Warn/Skip per test and GPU; a Skip is not a pass";
    }

    @Override
    public MetricSet parse(ParseInput input) throws ParseException, IOException {
        JsonFields json = new JsonFields(input.sourceName());
        Obj root = json.object(JsonDocuments.readOne(input, JsonDocuments.all()), "the DCGM diagnostic");
        Obj diag;
        boolean v4;
        if (root.has("DCGM Diagnostic")) {
            diag = json.requireObject(root, "DCGM Diagnostic", "the document");
            v4 = true;
        } else if (root.has("DCGM GPU Diagnostic")) {
            diag = json.requireObject(root, "DCGM GPU Diagnostic", "the document");
            v4 = false;
        } else {
            throw json.error(root, "not a dcgmi diag -j document: no \"DCGM Diagnostic\" (4.x) or \"DCGM GPU Diagnostic\" (3.x) member");
        }
        MetricSet m = new MetricSet();
        long tests = 0;
        long passed = 0;
        long failed = 0;
        long warned = 0;
        long skipped = 0;
        Set<String> names = new HashSet<>();
        Arr categories = json.requireArray(diag, "test_categories", "the diagnostic");
        for (Node cn : categories.items()) {
            Obj category = json.object(cn, "test_categories[]");
            for (Node tn : json.requireArray(category, "tests", "a category").items()) {
                Obj test = json.object(tn, "tests[]");
                Str name = json.requireString(test, "name", "a test");
                String key = EntityKeys.check(name.value(), "a test name", input.sourceName(), name.line());
                if (!names.add(key)) {
                    throw json.error(name, "test '" + key + "' appears twice");
                }
                MetricName base = MetricName.root("dcgm").child("test").at(key);
                String worst = null;
                for (Node rn : json.requireArray(test, "results", "test " + key).items()) {
                    Obj r = json.object(rn, "results[]");
                    String entity = entity(json, r, v4, key, input);
                    Str status = json.requireString(r, "status", "a result of " + key);
                    String s = normalise(json, status);
                    if (entity != null) {
                        MetricName gpu = base.child("gpu").at(entity).child("status");
                        if (m.contains(gpu.toString())) {
                            throw json.error(status, "two results for GPU " + entity + " in test " + key);
                        }
                        m.add(Metric.text(gpu, s, input.at(status.line())));
                    }
                    worst = worse(worst, s);
                }
                String status;
                io.vaultcube.pipeline.evidence.EvidenceSource statusSource;
                Obj summary = json.optionalObject(test, "test_summary", "test " + key);
                if (summary != null) {
                    Str st = json.requireString(summary, "status", "test_summary of " + key);
                    status = normalise(json, st);
                    statusSource = input.at(st.line());
                } else if (worst != null) {
                    status = worst; // derived from the results: cites the file
                    statusSource = input.whole();
                } else {
                    throw json.error(test, "test " + key + " has neither results nor a test_summary");
                }
                m.add(Metric.text(base.child("status"), status, statusSource));
                tests++;
                switch (status) {
                    case "Pass" -> passed++;
                    case "Fail" -> failed++;
                    case "Warn" -> warned++;
                    default -> skipped++;
                }
            }
        }
        m.add(Metric.number("dcgm.tests", tests, null, input.whole()));
        m.add(Metric.number("dcgm.passed", passed, null, input.whole()));
        m.add(Metric.number("dcgm.failed", failed, null, input.whole()));
        m.add(Metric.number("dcgm.warned", warned, null, input.whole()));
        m.add(Metric.number("dcgm.skipped", skipped, null, input.whole()));
        Str runtime = json.optionalString(diag, "runtime_error", "the diagnostic");
        if (runtime != null && !runtime.value().isBlank()) {
            m.add(Metric.text("dcgm.runtime_error", runtime.value(), input.at(runtime.line())));
        }
        boolean ok = tests > 0 && passed == tests && (runtime == null || runtime.value().isBlank());
        m.add(Metric.bool("dcgm.ok", ok, input.whole()));
        Obj meta = json.optionalObject(root, "metadata", "the document");
        if (meta != null) {
            Str version = json.optionalString(meta, "version", "metadata");
            if (version != null) {
                m.add(Metric.text("dcgm.version", version.value(), input.at(version.line())));
            }
        }
        return m;
    }

    private static String entity(JsonFields json, Obj r, boolean v4, String test, ParseInput input) throws ParseException {
        Node id = r.get(v4 ? "entity_id" : "gpu_id");
        if (id == null) {
            return null; // a result for the whole system
        }
        String text;
        if (id instanceof Num n && n.integral() && n.value() >= 0) {
            text = Long.toString((long) n.value());
        } else if (id instanceof Str s && Numbers.parseLong(s.value()) >= 0) {
            text = Long.toString(Numbers.parseLong(s.value()));
        } else {
            throw json.error(id, "a GPU id that is not a GPU index in test " + test);
        }
        if (v4) {
            Str group = json.optionalString(r, "entity_group", "a result of " + test);
            if (group != null && !group.value().equals("GPU")) {
                return null; // CPU or switch entities are not GPUs
            }
        }
        return text;
    }

    private static String normalise(JsonFields json, Str status) throws ParseException {
        String s = status.value().trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("pass")) {
            return "Pass";
        }
        if (s.startsWith("fail")) {
            return "Fail";
        }
        if (s.startsWith("warn")) {
            return "Warn";
        }
        if (s.startsWith("skip") || s.equals("not run") || s.equals("notrun")) {
            return "Skip";
        }
        throw json.error(status, "an unknown test status '" + status.value() + "' (expected Pass, Fail, Warn, Skip, Not Run)");
    }

    private static String worse(String a, String b) {
        if (a == null) {
            return b;
        }
        String order = "Pass Skip Warn Fail";
        return order.indexOf(b) > order.indexOf(a) ? b : a;
    }
}
