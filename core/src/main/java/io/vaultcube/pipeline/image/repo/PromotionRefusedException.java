package io.vaultcube.pipeline.image.repo;

/**
 * Promotion refused on purpose: the gate's verdict forbids it, or the version exists with other
 * content (versions are immutable). Nothing in the repository was changed.
 */
public final class PromotionRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public PromotionRefusedException(String message) {
        super(message);
    }
}
