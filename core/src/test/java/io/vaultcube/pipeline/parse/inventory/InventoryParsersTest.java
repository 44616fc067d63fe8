package io.vaultcube.pipeline.parse.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.parse.Fixtures;
import io.vaultcube.pipeline.parse.ParseException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryParsersTest {

    private static Object value(MetricSet m, String name) {
        return m.get(name).orElseThrow(() -> new AssertionError("no metric " + name)).value().raw();
    }

    @Test
    void dpkgQueryOfThisMachine() throws Exception {
        MetricSet m = new DpkgQueryParser().parse(Fixtures.input("dpkg-query/this-machine-debian12.txt"));
        assertThat(value(m, "inventory.deb.count")).isEqualTo(976L);
        assertThat(value(m, "inventory.deb.broken")).isEqualTo(0L);
        // Multi-arch names are keyed by the package name when only one architecture is installed.
        assertThat(value(m, "inventory.deb[libc6].version")).isEqualTo("2.36-9+deb12u14");
        assertThat(value(m, "inventory.deb[libc6].arch")).isEqualTo("amd64");
        assertThat(value(m, "inventory.deb[zlib1g].version")).isEqualTo("1:1.2.13.dfsg-1");
        assertThat(m.get("inventory.deb[libc6].version").orElseThrow().source().toString())
                .startsWith("dpkg-query/this-machine-debian12.txt:");
    }

    @Test
    void dpkgQueryStatesMultiArchAndTheGpuStack() throws Exception {
        MetricSet m = new DpkgQueryParser().parse(Fixtures.input("dpkg-query/synthetic-states-and-gpu-stack.txt"));
        assertThat(m.contains("inventory.deb[linux-image-6.1.0-28-amd64].version")).as("rc is not installed").isFalse();
        assertThat(m.contains("inventory.deb[nvidia-container-toolkit].version")).as("iU is not installed").isFalse();
        assertThat(value(m, "inventory.deb.broken")).isEqualTo(2L);
        assertThat(value(m, "inventory.deb[libc6:amd64].arch")).isEqualTo("amd64");
        assertThat(value(m, "inventory.deb[libc6:i386].arch")).isEqualTo("i386");
        assertThat(value(m, "inventory.deb.count")).isEqualTo(8L);

        MetricSet derived = InventoryComponents.derive(m);
        assertThat(value(derived, "inventory.nvidia_driver.version")).isEqualTo("570.133.20-0ubuntu0.24.04.1");
        assertThat(value(derived, "inventory.nvidia_driver.open_kernel_modules")).isEqualTo(true);
        assertThat(value(derived, "inventory.cuda.version")).as("the highest toolkit").isEqualTo("12.8.1-1");
        assertThat(value(derived, "inventory.cudnn.version")).isEqualTo("9.8.0.87-1");
        assertThat(value(derived, "inventory.docker.version")).isEqualTo("5:28.0.4-1~debian.12~bookworm");
        assertThat(derived.contains("inventory.nccl.version")).as("libnccl2 is half-configured").isFalse();
        assertThat(derived.contains("inventory.container_toolkit.version")).isFalse();
        assertThat(derived.get("inventory.cuda.version").orElseThrow().source().line()).isEqualTo(8L);
    }

    @Test
    void dpkgQueryRefusesAnotherFormat() {
        assertThatThrownBy(() -> new DpkgQueryParser().parse(Fixtures.input("dpkg-query/synthetic-refused-three-fields.txt")))
                .isInstanceOf(ParseException.class).hasMessageContaining(":1:").hasMessageContaining("expected 4 tab-separated fields");
    }

    @Test
    void derivedVersionsNeverOverrideDirectEvidence() throws Exception {
        MetricSet m = new DpkgQueryParser().parse(Fixtures.input("dpkg-query/synthetic-states-and-gpu-stack.txt"));
        m.addAll(new NvidiaDriverVersionParser().parse(Fixtures.input("nvidia-driver-version/reference-open-580.95.05.txt")));
        MetricSet derived = InventoryComponents.derive(m);
        assertThat(derived.contains("inventory.nvidia_driver.version")).isFalse();
        assertThat(derived.contains("inventory.nvidia_driver.open_kernel_modules")).isFalse();
    }

    @Test
    void pipListBothForms() throws Exception {
        MetricSet system = new PipListParser().parse(Fixtures.input("pip-list/this-machine-debian12-system.json",
                Map.of("environment", "system")));
        assertThat(value(system, "inventory.python[system].pkg[ansible-core].version")).isEqualTo("2.14.18");
        assertThat(value(system, "inventory.python[system].pkg[pyyaml].version")).isEqualTo("6.0");
        MetricSet pyenv = new PipListParser().parse(Fixtures.input("pip-list/this-machine-pyenv-pip-list.json",
                Map.of("environment", "pyenv")));
        assertThat((Long) value(pyenv, "inventory.python[pyenv].count")).isPositive();
        assertThat(value(pyenv, "inventory.python[pyenv].pkg[packaging].version")).isEqualTo("26.2");
    }

    @Test
    void pipListRefusesADuplicateAndNeedsItsEnvironment() {
        assertThatThrownBy(() -> new PipListParser().parse(Fixtures.input("pip-list/synthetic-refused-duplicate.json",
                Map.of("environment", "venv")))).isInstanceOf(ParseException.class).hasMessageContaining("torch is listed twice");
        assertThatThrownBy(() -> new PipListParser().parse(io.vaultcube.pipeline.parse.ParseInput.of(Fixtures.path("pip-list/this-machine-pyenv-pip-list.json"))))
                .isInstanceOf(ParseException.class).hasMessageContaining("environment=NAME");
    }

    @Test
    void nvidiaDriverOpenAndProprietary() throws Exception {
        MetricSet open = new NvidiaDriverVersionParser().parse(Fixtures.input("nvidia-driver-version/reference-open-580.95.05.txt"));
        assertThat(value(open, "inventory.nvidia_driver.version")).isEqualTo("580.95.05");
        assertThat(value(open, "inventory.nvidia_driver.open_kernel_modules")).isEqualTo(true);
        MetricSet closed = new NvidiaDriverVersionParser().parse(Fixtures.input("nvidia-driver-version/quoted-proprietary-510.54.txt"));
        assertThat(value(closed, "inventory.nvidia_driver.version")).isEqualTo("510.54");
        assertThat(value(closed, "inventory.nvidia_driver.open_kernel_modules")).isEqualTo(false);
        assertThatThrownBy(() -> new NvidiaDriverVersionParser().parse(Fixtures.input("dpkg-query/synthetic-refused-three-fields.txt")))
                .isInstanceOf(ParseException.class).hasMessageContaining("no 'NVRM version:' line");
    }

    @Test
    void vbiosPerGpu() throws Exception {
        MetricSet m = new NvidiaSmiInventoryParser().parse(Fixtures.input("nvidia-smi-inventory/reference-rtx5080-query.csv"));
        assertThat(value(m, "inventory.gpu[0].vbios_version")).isEqualTo("98.03.3B.C0.3E");
        assertThat(value(m, "inventory.gpu[0].name")).isEqualTo("NVIDIA GeForce RTX 5080");
        assertThat(value(m, "inventory.gpu[0].compute_cap")).isEqualTo("12.0");
        assertThat(value(m, "inventory.gpu[0].driver_version")).isEqualTo("580.159.03");
        assertThat(value(m, "inventory.gpu.count")).isEqualTo(1L);
    }

    @Test
    void kernelRelease() throws Exception {
        MetricSet m = new KernelReleaseParser().parse(Fixtures.input("kernel-release/this-machine-uname-r.txt"));
        assertThat(value(m, "inventory.kernel.release")).isEqualTo("6.18.44-fc-v1272");
        assertThat(value(m, "inventory.kernel.count")).isEqualTo(1L);
    }

    @Test
    void torchBuildReadsTheCompiledArchsWhenNoGpuIsUsable() throws Exception {
        MetricSet m = new TorchBuildParser().parse(Fixtures.input("torch-build/synthetic-cu128-no-gpu.json"));
        assertThat(value(m, "inventory.python[pytorch].torch.version")).isEqualTo("2.11.0+cu128");
        assertThat(value(m, "inventory.python[pytorch].torch.cuda")).isEqualTo("12.8");
        assertThat(value(m, "inventory.python[pytorch].torch.cuda_available")).isEqualTo(false);
        assertThat(value(m, "inventory.python[pytorch].torch.arch_list")).isEqualTo("sm_75 sm_80 sm_86 sm_90 sm_100 sm_120");

        MetricSet headline = InventoryComponents.derive(m);
        assertThat(value(headline, "inventory.torch.arch_list")).isEqualTo("sm_75 sm_80 sm_86 sm_90 sm_100 sm_120");
        assertThat(value(headline, "inventory.torch.version")).isEqualTo("2.11.0+cu128");
    }

    @Test
    void torchBuildWithoutSm120AndTheHeadlineOnlyForOneEnvironment() throws Exception {
        MetricSet one = new TorchBuildParser().parse(Fixtures.input("torch-build/synthetic-cu126-gpu.json"));
        assertThat(value(one, "inventory.python[pytorch].torch.arch_list")).asString().doesNotContain("sm_120");
        MetricSet two = new MetricSet().addAll(one).addAll(new TorchBuildParser().parse(
                Fixtures.input("torch-build/synthetic-cu128-no-gpu.json", Map.of("environment", "other"))));
        assertThat(InventoryComponents.derive(two).contains("inventory.torch.arch_list"))
                .as("two environments with torch: no single headline").isFalse();
    }

    @Test
    void torchBuildRefusesListsThatDisagree() {
        assertThatThrownBy(() -> new TorchBuildParser().parse(Fixtures.input("torch-build/synthetic-refused-disagree.json")))
                .isInstanceOf(ParseException.class).hasMessageContaining("disagree");
        assertThatThrownBy(() -> new TorchBuildParser().parse(Fixtures.input("torch-build/synthetic-cu126-gpu.json", Map.of())))
                .isInstanceOf(ParseException.class).hasMessageContaining("environment=NAME");
    }

    @Test
    void dpkgQueryOfTheConvergedImage() throws Exception {
        MetricSet m = new DpkgQueryParser().parse(Fixtures.input("dpkg-query/converged-rootfs-bookworm.txt"));
        assertThat(value(m, "inventory.deb.count")).isEqualTo(331L);
        assertThat(value(m, "inventory.deb.broken")).isEqualTo(0L);
        assertThat(value(m, "inventory.deb[openssh-server].version")).isEqualTo("1:9.2p1-2+deb12u10");
        assertThat(value(m, "inventory.deb[ufw].version")).isEqualTo("0.36.2-1");
    }
}
