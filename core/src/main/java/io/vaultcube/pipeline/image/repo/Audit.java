package io.vaultcube.pipeline.image.repo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcube.pipeline.image.PromotionGate;
import io.vaultcube.pipeline.image.ImageJson;
import io.vaultcube.pipeline.image.ImageManifest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Builds vault-audit/1 entries (documented in docs/images.md), for both repositories: the
 * filesystem one appends them to its log, the S3 one stores each as an object of its own.
 */
public final class Audit {
    private Audit() {
    }

    public static ObjectNode entry(Actor actor, String action, String image, String version, String outcome) {
        ObjectNode e = ImageJson.mapper().createObjectNode();
        e.put("time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        e.put("user", actor.user());
        e.put("host", actor.host());
        e.put("action", action);
        e.put("image", image);
        e.put("version", version);
        e.put("outcome", outcome);
        return e;
    }

    public static void files(ObjectNode entry, List<ImageManifest.FileEntry> files) {
        ArrayNode list = entry.putArray("files");
        for (ImageManifest.FileEntry f : files) {
            ObjectNode node = list.addObject();
            node.put("name", f.name());
            node.put("size", f.size());
            node.put("sha256", f.sha256());
        }
    }

    public static void channels(ObjectNode entry, List<ChannelMove> moves) {
        ArrayNode list = entry.putArray("channels");
        for (ChannelMove m : moves) {
            ObjectNode node = list.addObject();
            node.put("name", m.channel());
            node.put("from", m.from());
            node.put("to", m.to());
        }
    }

    /** The gate report a promotion relied on: verdict, digest, path, and the evidence's digest. */
    public static void gate(ObjectNode entry, PromotionGate gate) {
        entry.put("gateVerdict", gate.verdict().name());
        entry.put("gateReportSha256", gate.sha256());
        entry.put("gateReport", gate.file().toAbsolutePath().toString());
        if (gate.evidenceSha256() != null) {
            entry.put("evidenceSha256", gate.evidenceSha256());
        }
    }
}
