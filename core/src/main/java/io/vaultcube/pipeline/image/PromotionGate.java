package io.vaultcube.pipeline.image;

import java.nio.file.Path;
import java.util.Map;

/**
 * What promotion needs of a gate report ({@link GateReportReader} reads it from the file that
 * {@code gate.GateReport} was written to): its verdict and the SHA-256 of its bytes, plus the policy
 * it was evaluated against and when, for the manifest.
 *
 * @param file where it was read
 * @param sha256 SHA-256 of the file's bytes, exactly as read
 * @param verdict the stated verdict (checked against its gates)
 * @param policyName the policy's name, or null
 * @param policySha256 the policy file's SHA-256, or null
 * @param evaluated when the gate ran (ISO-8601 text as written), or null
 * @param gates number of gates listed
 * @param evidence the evidence directory the report names, or null
 * @param evidenceSha256 the digest over the bound evidence files, or null when the report has no binding
 * @param evidenceFiles the bound evidence files (path relative to the evidence directory to SHA-256),
 *     in the report's order, or null when the report has no binding
 * @param policyFile the policy file as the report names it, or null
 */
public record PromotionGate(Path file, String sha256, ReportedVerdict verdict, String policyName, String policySha256,
        String evaluated, int gates, String evidence, String evidenceSha256,
        Map<String, String> evidenceFiles, String policyFile) {
}
