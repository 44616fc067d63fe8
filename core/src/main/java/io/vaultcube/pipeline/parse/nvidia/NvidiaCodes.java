package io.vaultcube.pipeline.parse.nvidia;

import java.util.List;
import java.util.Set;

/**
 * NVIDIA's codes that the Java reads in one place: the clock event reason bits that mean
 * throttling, and the Xids that are not fatal. {@code scripts/monitor.sh} and
 * {@code scripts/validate-gpus.sh} keep their own copies (shell cannot read this class);
 * {@code NvidiaCodesAgreeWithScriptsTest} fails when the two drift apart.
 */
public final class NvidiaCodes {
    private NvidiaCodes() {
    }

    /** {@code clocks_event_reasons.active} bits (nvidia-smi --help-query-gpu; ref gpu-validation.md §1). */
    public static final long GPU_IDLE = 0x01;
    public static final long SW_POWER_CAP = 0x04;
    public static final long HW_SLOWDOWN = 0x08;
    public static final long SW_THERMAL_SLOWDOWN = 0x20;
    public static final long HW_THERMAL_SLOWDOWN = 0x40;
    public static final long HW_POWER_BRAKE_SLOWDOWN = 0x80;

    /**
     * The bits that count as throttling: HW slowdown, SW thermal, HW thermal, HW power brake. SW power
     * cap (0x04) is normal under load and idle (0x01) is no slowdown.
     */
    public static final long THROTTLE_BITS = HW_SLOWDOWN | SW_THERMAL_SLOWDOWN | HW_THERMAL_SLOWDOWN
            | HW_POWER_BRAKE_SLOWDOWN;

    /**
     * The same four reasons as {@code nvidia-smi -q} names them under "Clocks Event Reasons" (lower
     * case, words joined by '_').
     */
    public static final List<String> THROTTLE_REASON_NAMES = List.of("hw_slowdown",
            "sw_thermal_slowdown", "hw_thermal_slowdown", "hw_power_brake_slowdown");

    /** Whether a clock event mask shows throttling. */
    public static boolean throttling(long mask) {
        return (mask & THROTTLE_BITS) != 0;
    }

    /**
     * Xids that NVIDIA's catalog attributes to the application or to the driver's handling of it
     * (immediate action "restart the application" or "ignore"), and 14 (an injected test error): not
     * fatal. Every other code is fatal, unknown codes included (fail closed): 48 (DBE), 63/64 (row
     * remapping), 79 (fallen off the bus), 92, 94, 95, 119, 120, 154, and 38 ("Driver firmware
     * error", a FECS firmware watchdog timeout: no application causes it, and the catalog's
     * investigation is "contact support"; see docs/metrics.md).
     */
    public static final Set<Integer> APPLICATION_XIDS = Set.of(8, 11, 13, 14, 25, 31, 32, 39, 40, 41, 43, 44, 45,
            68, 69);

    /** Whether an Xid code is fatal (anything outside {@link #APPLICATION_XIDS}). */
    public static boolean fatalXid(int code) {
        return !APPLICATION_XIDS.contains(code);
    }
}
