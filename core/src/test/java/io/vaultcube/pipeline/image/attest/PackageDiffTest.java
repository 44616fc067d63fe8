package io.vaultcube.pipeline.image.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.EvidenceSource;
import io.vaultcube.pipeline.image.attest.PackageDiff.Change;
import io.vaultcube.pipeline.image.attest.PackageDiff.Ecosystem;
import io.vaultcube.pipeline.image.attest.PackageDiff.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The diff of two SBOMs written by {@link Sbom}, with versions whose order only dpkg's rules
 * (epochs, tildes) or PEP 440 (pre-releases, local versions) get right: a string comparison
 * would call each of these the wrong way round.
 */
class PackageDiffTest {
    private static final EvidenceSource SRC = EvidenceSource.line("inventory/dpkg-query.txt", 1);

    private static MetricSet inventory(String... debAndPy) {
        MetricSet m = new MetricSet();
        for (String entry : debAndPy) {
            String[] f = entry.split(" ");
            if (f[0].equals("deb")) {
                m.add(Metric.text("inventory.deb[" + f[1] + "].version", f[2], SRC));
                m.add(Metric.text("inventory.deb[" + f[1] + "].arch", "amd64", SRC));
            } else {
                m.add(Metric.text("inventory.python[" + f[1] + "].pkg[" + f[2] + "].version", f[3], SRC));
            }
        }
        return m;
    }

    private static byte[] sbom(String version, MetricSet m) {
        return Sbom.write(m, "vault-cube", version, Instant.parse("2026-12-05T12:00:00Z"));
    }

    @Test
    void addedRemovedUpgradedDowngradedByEachEcosystemsOrder() throws Exception {
        byte[] a = sbom("1.0", inventory(
                "deb docker-ce 5:27.5.1-1~debian.12~bookworm",
                "deb openssl 3.0.15-1~deb12u1",
                "deb libfoo 1.2-1",
                "deb zlib1g 1:1.2.13.dfsg-1",
                "deb removed-pkg 1.0-1",
                "py pytorch torch 2.7.0rc1",
                "py pytorch numpy 2.1.0",
                "py system pyyaml 6.0"));
        byte[] b = sbom("1.1", inventory(
                "deb docker-ce 28.0.4-1~debian.12~bookworm",       // the epoch dropped: a downgrade by dpkg
                "deb openssl 3.0.15-1",                            // 1~deb12u1 < 1: an upgrade
                "deb libfoo 1.2-1",
                "deb zlib1g 1:1.2.13.dfsg-1",
                "deb added-pkg 2.0-1",
                "py pytorch torch 2.7.0",                          // rc1 < final: an upgrade
                "py pytorch numpy 2.1.0",
                "py system pyyaml 6.0.0"));                        // equal by PEP 440: unchanged
        List<Change> changes = PackageDiff.between(a, "a", b, "b");

        assertThat(changes).containsExactlyInAnyOrder(
                new Change(Kind.ADDED, Ecosystem.DEB, "added-pkg", null, "amd64", null, "2.0-1"),
                new Change(Kind.DOWNGRADED, Ecosystem.DEB, "docker-ce", null, "amd64",
                        "5:27.5.1-1~debian.12~bookworm", "28.0.4-1~debian.12~bookworm"),
                new Change(Kind.UPGRADED, Ecosystem.DEB, "openssl", null, "amd64", "3.0.15-1~deb12u1", "3.0.15-1"),
                new Change(Kind.REMOVED, Ecosystem.DEB, "removed-pkg", null, "amd64", "1.0-1", null),
                new Change(Kind.UPGRADED, Ecosystem.PYPI, "torch", "pytorch", null, "2.7.0rc1", "2.7.0"));
    }

    @Test
    void aVersionNoSchemeReadsIsChangedNotGuessed() throws Exception {
        byte[] a = sbom("1.0", inventory("deb foo 1.0-1", "py venv odd 1.0"));
        byte[] b = sbom("1.1", inventory("deb foo 1.0-1", "py venv odd 2024-snapshot+git/abc"));
        assertThat(PackageDiff.between(a, "a", b, "b")).containsExactly(
                new Change(Kind.CHANGED, Ecosystem.PYPI, "odd", "venv", null, "1.0", "2024-snapshot+git/abc"));
    }

    @Test
    void aGarbledSbomIsRefusedWithItsName() {
        byte[] good = sbom("1.0", inventory("deb foo 1.0-1"));
        assertThatThrownBy(() -> PackageDiff.between(good, "a", "{\"bomFormat\": \"SPDX\"}"
                .getBytes(StandardCharsets.UTF_8), "vault-cube/1.1/sbom.cdx.json"))
                .isInstanceOf(IOException.class).hasMessageContaining("vault-cube/1.1/sbom.cdx.json: not a CycloneDX SBOM");
        assertThatThrownBy(() -> PackageDiff.between(good, "a", ("{\"bomFormat\": \"CycloneDX\", \"components\": "
                + "[{\"name\": \"foo\"}]}").getBytes(StandardCharsets.UTF_8), "b.json"))
                .isInstanceOf(IOException.class).hasMessageContaining("b.json: components[0] has no name or no version");
        assertThatThrownBy(() -> PackageDiff.between(good, "a", "{".getBytes(StandardCharsets.UTF_8), "c.json"))
                .isInstanceOf(IOException.class).hasMessageContaining("c.json: not JSON");
    }
}
