package io.vaultcube.pipeline.image.repo;

/**
 * A channel set to a version.
 *
 * @param from the version it pointed to before, or null when it is new
 */
public record ChannelMove(String channel, String from, String to) {
    public boolean changed() {
        return !to.equals(from);
    }
}
