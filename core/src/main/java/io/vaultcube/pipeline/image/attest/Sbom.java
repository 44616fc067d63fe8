package io.vaultcube.pipeline.image.attest;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricPattern;
import io.vaultcube.pipeline.evidence.MetricSet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;

/**
 * The CycloneDX 1.6 JSON SBOM of a promoted version, built from its inventory's metrics: the image
 * as the SBOM's subject (an operating system), and one component per Debian package
 * ({@code pkg:deb/debian/NAME@VERSION?arch=ARCH}), per Python distribution of each environment
 * ({@code pkg:pypi/NAME@VERSION}, property {@code vault:python-environment}), the kernel, the NVIDIA
 * driver (a device driver) and each GPU's VBIOS (firmware). The versions are those the inventory
 * read; nothing is looked up. Written with cyclonedx-core-java, whose schema validation the tests run.
 */
public final class Sbom {
    public static final Version SPEC = Version.VERSION_16;

    private Sbom() {
    }

    /**
     * The SBOM's bytes.
     *
     * @param inventory the metrics of an inventory stage ({@code inventory.*})
     * @param created the promotion's time, the SBOM's timestamp
     * @throws IllegalArgumentException when the metrics hold no inventory (no Debian package)
     */
    public static byte[] write(MetricSet inventory, String image, String version, Instant created) {
        List<Metric> debs = inventory.matching(MetricPattern.parse("inventory.deb[*].version"));
        if (debs.isEmpty()) {
            throw new IllegalArgumentException("the inventory lists no Debian package: no SBOM can be made from it");
        }
        Bom bom = new Bom();
        // The same image and version always get the same serial number.
        bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(("vault-image:" + image + "@" + version)
                .getBytes(StandardCharsets.UTF_8)));
        bom.setVersion(1);
        Metadata metadata = new Metadata();
        metadata.setTimestamp(Date.from(created));
        Component subject = new Component();
        subject.setType(Component.Type.OPERATING_SYSTEM);
        subject.setName(image);
        subject.setVersion(version);
        subject.setBomRef("image:" + image + "@" + version);
        metadata.setComponent(subject);
        bom.setMetadata(metadata);

        List<Component> components = new ArrayList<>();
        for (Metric m : debs) {
            String key = m.name().keys().get(0);
            int colon = key.indexOf(':');
            String name = colon < 0 ? key : key.substring(0, colon);
            String arch = text(inventory, MetricName.root("inventory").child("deb").at(key).child("arch"));
            String v = m.value().toString();
            Component c = component(Component.Type.LIBRARY, name, v, "pkg:deb/debian/" + name + "@" + encode(v)
                    + (arch == null ? "" : "?arch=" + arch));
            components.add(c);
        }
        for (Metric m : inventory.matching(MetricPattern.parse("inventory.python[*].pkg[*].version"))) {
            String env = m.name().keys().get(0);
            String name = m.name().keys().get(1);
            String v = m.value().toString();
            Component c = component(Component.Type.LIBRARY, name, v, "pkg:pypi/" + name + "@" + encode(v));
            c.setBomRef("pypi:" + env + ":" + name + "@" + v);
            c.addProperty(new Property("vault:python-environment", env));
            components.add(c);
        }
        String kernel = text(inventory, MetricName.parse("inventory.kernel.release"));
        if (kernel != null) {
            components.add(component(Component.Type.OPERATING_SYSTEM, "linux-kernel", kernel, null));
        }
        String driver = text(inventory, MetricName.parse("inventory.nvidia_driver.version"));
        if (driver != null) {
            Component c = component(Component.Type.DEVICE_DRIVER, "nvidia-driver", driver, null);
            inventory.get("inventory.nvidia_driver.open_kernel_modules").ifPresent(
                    o -> c.addProperty(new Property("vault:open-kernel-modules", o.value().toString())));
            components.add(c);
        }
        for (Metric m : inventory.matching(MetricPattern.parse("inventory.gpu[*].vbios_version"))) {
            String gpu = m.name().keys().get(0);
            Component c = component(Component.Type.FIRMWARE, "nvidia-vbios-gpu" + gpu, m.value().toString(), null);
            inventory.get("inventory.gpu[" + gpu + "].name").ifPresent(n -> c.setDescription("VBIOS of GPU " + gpu
                    + ", " + n.value()));
            components.add(c);
        }
        bom.setComponents(components);
        try {
            return BomGeneratorFactory.createJson(SPEC, bom).toJsonString().getBytes(StandardCharsets.UTF_8);
        } catch (org.cyclonedx.exception.GeneratorException e) {
            throw new IllegalStateException("CycloneDX could not write the SBOM: " + e.getMessage(), e);
        }
    }

    private static Component component(Component.Type type, String name, String version, String purl) {
        Component c = new Component();
        c.setType(type);
        c.setName(name);
        c.setVersion(version);
        if (purl != null) {
            c.setPurl(purl);
            c.setBomRef(purl);
        } else {
            c.setBomRef(type.getTypeName() + ":" + name + "@" + version);
        }
        return c;
    }

    private static String text(MetricSet metrics, MetricName name) {
        return metrics.get(name).map(m -> m.value().toString()).orElse(null);
    }

    /** Percent-encodes what a purl version may not hold literally (an epoch's colon, a plus). */
    static String encode(String version) {
        StringBuilder b = new StringBuilder();
        for (char c : version.toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '~') {
                b.append(c);
            } else {
                b.append('%').append(String.format("%02X", (int) c));
            }
        }
        return b.toString();
    }
}
