package io.vaultcube.pipeline.image.repo;

import io.vaultcube.pipeline.image.ImageManifest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who changes the repository, from which host (recorded in manifests and the audit log). */
public record Actor(String user, String host) {
    /** The user running this process and this machine's host name. */
    public static Actor current() {
        return new Actor(System.getProperty("user.name", "unknown"), hostName());
    }

    public ImageManifest.Actor toManifest() {
        return new ImageManifest.Actor(user, host);
    }

    static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: ask the resolver.
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
