package io.vaultcube.pipeline.cli;

import java.lang.reflect.Method;
import picocli.CommandLine;

/**
 * The settings the {@code vault} commands build for a command line (their private
 * {@code settings()}), for the plugin's mapping tests: same package as the commands, test only.
 */
public final class CliSettings {
    private CliSettings() {
    }

    public static Object packerBuild(String... args) throws Exception {
        return settings(new PackerBuildCommand(), args);
    }

    public static Object provision(String... args) throws Exception {
        return settings(new ProvisionCommand(), args);
    }

    public static Object gpuValidate(String... args) throws Exception {
        return settings(new GpuValidateCommand(), args);
    }

    public static Object bench(String... args) throws Exception {
        return settings(new BenchCommand(), args);
    }

    public static Object stress(String... args) throws Exception {
        return settings(new StressCommand(), args);
    }

    public static Object inventory(String... args) throws Exception {
        return settings(new InventoryCommand(), args);
    }

    private static Object settings(Object command, String... args) throws Exception {
        new CommandLine(command).parseArgs(args);
        Method m = command.getClass().getDeclaredMethod("settings");
        m.setAccessible(true);
        return m.invoke(command);
    }
}
