package io.vaultcube.pipeline.cli;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top-level {@code vault} command; each capability is a subcommand. */
@Command(
        name = "vault",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Builds, validates, gates and promotes the Vault Cube golden image.",
            "The same engine runs inside Jenkins as the vault* Pipeline steps.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success; the gate passed",
            "1:failure: a gate failed, a build or run failed, a checksum did not match",
            "2:bad usage or unreadable input (malformed policy, missing or garbled evidence)",
            "3:unstable: only gates of severity 'unstable' failed",
            "70:internal error in vault (please report it)",
            "71:out of memory or stack for this input (raise -Xmx or -Xss in VAULT_JAVA_OPTS)",
            "130:interrupted (Ctrl-C or SIGTERM); running tools were stopped",
        },
        footer = {"", "Run 'vault help COMMAND' for a command's options. Documentation: docs/cli.md"})
public final class VaultCommand implements Runnable {
    /**
     * Every subcommand but help, in the order {@code vault --help} lists them (the data flow's).
     * Registered on demand by {@link Main#commandLine(String...)}: building picocli's model of all
     * of them costs a third of a second at every start, so a run builds only the one it runs.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands(
            PipelineCommand.class,
            PackerBuildCommand.class,
            ProvisionCommand.class,
            GpuValidateCommand.class,
            BenchCommand.class,
            StressCommand.class,
            InventoryCommand.class,
            GateCommand.class,
            ReportCommand.class,
            PromoteCommand.class,
            ChecksumCommand.class,
            ImagesCommand.class,
            ParseCommand.class,
            MetricsCommand.class);

    private static Map<String, Class<?>> subcommands(Class<?>... classes) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            byName.put(c.getAnnotation(picocli.CommandLine.Command.class).name(), c);
        }
        return Collections.unmodifiableMap(byName);
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw SubcommandRequired.error(spec);
    }
}
