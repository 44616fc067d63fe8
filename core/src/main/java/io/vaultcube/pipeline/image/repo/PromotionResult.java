package io.vaultcube.pipeline.image.repo;

import io.vaultcube.pipeline.image.PromotionGate;
import io.vaultcube.pipeline.image.ImageManifest;
import java.nio.file.Path;
import java.util.List;

/**
 * What a promotion did.
 *
 * @param outcome created the version, found it already holding the same content, or only moved channels
 * @param manifest the version's manifest (the existing one when unchanged)
 * @param versionDir where the version is
 * @param channels the channels set
 * @param gate the gate report it was promoted on
 */
public record PromotionResult(Outcome outcome, ImageManifest manifest, Path versionDir, List<ChannelMove> channels,
        PromotionGate gate) {

    public enum Outcome {
        /** The version was copied, verified and renamed into place. */
        CREATED,
        /** The version already held exactly these files; nothing was copied. */
        UNCHANGED,
        /** No files were given: channels were pointed at the existing version. */
        CHANNELS_ONLY
    }
}
