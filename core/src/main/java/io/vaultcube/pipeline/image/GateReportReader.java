package io.vaultcube.pipeline.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import io.vaultcube.pipeline.evidence.EvidenceDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a gate report as docs/policy.md fixes it ({@code vault-gate-report/1}, written by
 * {@code vault gate --json}) and fails closed: anything it cannot vouch for is a
 * {@link GateReportException}. Beyond the schema and the verdict it checks that the verdict is not
 * better than the gates listed under it (a report that says SUCCESS over a FAILED gate is garbled,
 * not a pass) and that some gate was evaluated at all.
 */
public final class GateReportReader {
    public static final String SCHEMA = "vault-gate-report/1";
    private static final long MAX_BYTES = 64L << 20;
    private static final Set<String> STATUSES = Set.of("PASSED", "FAILED", "UNSTABLE", "SKIPPED");
    private static final Set<String> SEVERITIES = Set.of("failure", "unstable");

    private GateReportReader() {
    }

    public static PromotionGate read(Path file) throws GateReportException {
        byte[] bytes;
        try {
            // Never a FIFO or a device: reading one would hang or never end.
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new GateReportException("gate report " + file + " is not a regular file");
            }
            if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
                throw new GateReportException("gate report " + file + " is " + Files.size(file)
                        + " bytes; a gate report is at most " + MAX_BYTES);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new GateReportException("gate report " + file + " does not exist", e);
        } catch (IOException e) {
            throw new GateReportException("cannot read gate report " + file + ": " + IoErrors.reason(e), e);
        }
        String where = "gate report " + file;
        JsonNode root;
        try {
            root = ImageJson.parseObject(bytes, where);
        } catch (IOException e) {
            throw new GateReportException(e.getMessage(), e);
        }
        JsonNode schema = root.get("schema");
        if (schema == null || !schema.isTextual() || !SCHEMA.equals(schema.asText())) {
            throw new GateReportException(where + ": expected schema \"" + SCHEMA + "\", found "
                    + (schema == null ? "none" : schema.toString()));
        }
        JsonNode verdictNode = root.get("verdict");
        if (verdictNode == null || !verdictNode.isTextual()) {
            throw new GateReportException(where + ": no \"verdict\"");
        }
        ReportedVerdict verdict;
        try {
            verdict = ReportedVerdict.valueOf(verdictNode.asText());
        } catch (IllegalArgumentException e) {
            throw new GateReportException(where + ": unknown verdict " + verdictNode
                    + " (expected SUCCESS, UNSTABLE or FAILURE)");
        }
        JsonNode gates = root.get("gates");
        if (gates == null || !gates.isArray()) {
            throw new GateReportException(where + ": no \"gates\" list");
        }
        ReportedVerdict implied = ReportedVerdict.SUCCESS;
        int index = 0;
        int passed = 0;
        for (JsonNode gate : gates) {
            String id = gate.path("id").asText("#" + index);
            String status = gate.path("status").asText(null);
            String severity = gate.path("severity").asText(null);
            if (!gate.isObject() || status == null || !STATUSES.contains(status)) {
                throw new GateReportException(where + ": gate " + id + " has no valid status (PASSED, FAILED, UNSTABLE, SKIPPED)");
            }
            if (severity != null && !SEVERITIES.contains(severity)) {
                throw new GateReportException(where + ": gate " + id + " has an unknown severity \"" + severity + "\"");
            }
            ReportedVerdict atLeast = switch (status) {
                case "FAILED" -> "unstable".equals(severity) ? ReportedVerdict.UNSTABLE : ReportedVerdict.FAILURE;
                case "UNSTABLE" -> ReportedVerdict.UNSTABLE;
                default -> ReportedVerdict.SUCCESS;
            };
            if ("PASSED".equals(status)) {
                passed++;
            }
            if (atLeast.compareTo(implied) > 0) {
                implied = atLeast;
            }
            index++;
        }
        if (index == 0) {
            throw new GateReportException(where + ": lists no gates: nothing was checked");
        }
        if (verdict.compareTo(implied) < 0) {
            throw new GateReportException(where + ": says " + verdict + " but its gates imply " + implied
                    + " (the report is inconsistent; re-run vault gate)");
        }
        if (passed == 0 && verdict != ReportedVerdict.FAILURE) {
            throw new GateReportException(where + ": says " + verdict + " but no gate PASSED: a report that checked"
                    + " nothing is not a pass (re-run vault gate)");
        }
        JsonNode policy = root.path("policy");
        String evidenceSha256 = null;
        Map<String, String> evidenceFiles = null;
        JsonNode binding = root.get("binding");
        if (binding != null) {
            evidenceSha256 = text(binding, "evidenceSha256");
            JsonNode files = binding.get("evidenceFiles");
            if (evidenceSha256 == null || !evidenceSha256.matches("[0-9a-f]{64}") || files == null || !files.isArray()) {
                throw new GateReportException(where + ": \"binding\" needs \"evidenceSha256\" (64 hex digits) and an"
                        + " \"evidenceFiles\" list");
            }
            evidenceFiles = new LinkedHashMap<>();
            List<EvidenceDigest.Entry> entries = new ArrayList<>();
            for (JsonNode f : files) {
                String path = text(f, "path");
                String sum = text(f, "sha256");
                if (path == null || !EvidenceDigest.BOUND_PATH.matcher(path).matches() || sum == null
                        || !sum.matches("[0-9a-f]{64}") || evidenceFiles.put(path, sum) != null) {
                    throw new GateReportException(where + ": binding.evidenceFiles has an entry that is not"
                            + " {\"path\": \"STAGE/stage.json|metrics.json\", \"sha256\": HEX}, or lists a path twice: "
                            + f);
                }
                entries.add(new EvidenceDigest.Entry(path, sum));
            }
            if (!EvidenceDigest.digest(entries).equals(evidenceSha256)) {
                throw new GateReportException(where + ": binding.evidenceSha256 is not the digest of its"
                        + " evidenceFiles (the report was edited; re-run vault gate)");
            }
        }
        return new PromotionGate(file, FileHasher.hash(bytes).sha256(), verdict, text(policy, "name"),
                text(policy, "sha256"), text(root, "evaluated"), index, text(root, "evidence"), evidenceSha256,
                evidenceFiles == null ? null : Collections.unmodifiableMap(evidenceFiles), text(policy, "file"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
