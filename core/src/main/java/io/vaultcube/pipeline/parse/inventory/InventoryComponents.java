package io.vaultcube.pipeline.parse.inventory;

import io.vaultcube.pipeline.evidence.Metric;
import io.vaultcube.pipeline.evidence.MetricName;
import io.vaultcube.pipeline.evidence.MetricPattern;
import io.vaultcube.pipeline.evidence.MetricSet;
import io.vaultcube.pipeline.evidence.MetricValue;
import io.vaultcube.pipeline.version.DebianVersion;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The headline versions of an inventory, derived from its Debian packages where no more direct
 * evidence reported them: {@code inventory.nvidia_driver.version} (and
 * {@code .open_kernel_modules}), {@code inventory.cuda.version}, {@code inventory.cudnn.version},
 * {@code inventory.nccl.version}, {@code inventory.container_toolkit.version},
 * {@code inventory.docker.version}. Each is the version of the package that provides the component
 * (the highest, by dpkg's order, when several do), with that package's line as its source; a
 * component none of whose packages is installed is left out, and a gate on it says "no evidence".
 *
 * <p>PyTorch: {@code inventory.torch.version}, {@code .cuda}, {@code .cuda_available} and
 * {@code .arch_list} are those of {@code inventory.python[ENV].torch} when exactly one environment
 * has torch. With several, there is no single answer, so the headline is left out and a gate must
 * name the environment (a gate on the headline then fails closed with "no evidence").
 */
public final class InventoryComponents {

    /** A component and the package names (regular expressions, whole name) that provide it, in order of preference. */
    record Component(String name, List<Pattern> packages) {
    }

    static final List<Component> COMPONENTS = List.of(
            component("nvidia_driver", "nvidia-driver-[0-9]+(-open|-server|-server-open)?", "nvidia-driver",
                    "nvidia-open(-[0-9]+)?", "cuda-drivers(-[0-9]+)?", "nvidia-kernel-open-dkms", "nvidia-kernel-dkms",
                    "nvidia-dkms-[0-9]+(-open)?", "libnvidia-compute-[0-9]+"),
            component("cuda", "cuda-toolkit-[0-9]+-[0-9]+", "cuda-runtime-[0-9]+-[0-9]+", "cuda-cudart-[0-9]+-[0-9]+",
                    "nvidia-cuda-toolkit"),
            component("cudnn", "libcudnn[0-9]+-cuda-[0-9]+", "cudnn[0-9]*-cuda-[0-9]+", "libcudnn[0-9]+"),
            component("nccl", "libnccl2"),
            component("container_toolkit", "nvidia-container-toolkit"),
            component("docker", "docker-ce", "docker\\.io", "moby-engine"));

    private static final Pattern OPEN_DRIVER = Pattern.compile(
            "nvidia-driver-[0-9]+-(server-)?open|nvidia-open(-[0-9]+)?|nvidia-kernel-open-dkms|nvidia-dkms-[0-9]+-open");

    private InventoryComponents() {
    }

    private static Component component(String name, String... packages) {
        return new Component(name, Arrays.stream(packages).map(Pattern::compile).toList());
    }

    /** The derived metrics that {@code metrics} does not hold yet. */
    public static MetricSet derive(MetricSet metrics) {
        MetricSet derived = new MetricSet();
        MetricName inventory = MetricName.root("inventory");
        List<Metric> debVersions = metrics.matching(MetricPattern.parse("inventory.deb[*].version"));
        for (Component c : COMPONENTS) {
            MetricName versionName = inventory.child(c.name()).child("version");
            if (metrics.get(versionName).isPresent()) {
                continue;
            }
            for (Pattern p : c.packages()) {
                Optional<Metric> best = debVersions.stream()
                        .filter(m -> p.matcher(packageName(m)).matches())
                        .max((a, b) -> DebianVersion.compare(text(a), text(b)));
                if (best.isPresent()) {
                    derived.add(new Metric(versionName, best.get().value(), null, best.get().source()));
                    if (c.name().equals("nvidia_driver")
                            && metrics.get(inventory.child("nvidia_driver").child("open_kernel_modules")).isEmpty()) {
                        Optional<Metric> open = debVersions.stream()
                                .filter(m -> OPEN_DRIVER.matcher(packageName(m)).matches()).findFirst();
                        derived.add(Metric.bool(inventory.child("nvidia_driver").child("open_kernel_modules"),
                                open.isPresent(), open.orElse(best.get()).source()));
                    }
                    break;
                }
            }
        }
        derived.addAll(torchHeadline(metrics));
        return derived;
    }

    private static MetricSet torchHeadline(MetricSet metrics) {
        MetricSet headline = new MetricSet();
        if (metrics.get("inventory.torch.version").isPresent()) {
            return headline;
        }
        List<Metric> versions = metrics.matching(MetricPattern.parse("inventory.python[*].torch.version"));
        if (versions.size() != 1) {
            return headline;
        }
        MetricName env = MetricName.root("inventory").child("python").at(versions.get(0).name().keys().get(0));
        MetricName torch = MetricName.root("inventory").child("torch");
        for (String field : List.of("version", "cuda", "cuda_available", "arch_list")) {
            metrics.get(env.child("torch").child(field)).ifPresent(m ->
                    headline.add(new Metric(torch.child(field), m.value(), m.unit(), m.source())));
        }
        return headline;
    }

    /** The package name of an {@code inventory.deb[NAME].version} metric, without a multi-arch suffix. */
    static String packageName(Metric m) {
        String key = m.name().keys().get(0);
        int colon = key.indexOf(':');
        return colon < 0 ? key : key.substring(0, colon);
    }

    private static String text(Metric m) {
        return ((MetricValue.Text) m.value()).value();
    }
}
