package io.vaultcube.pipeline.parse.nvidia;

/**
 * One GPU's throttle events, counted sample by sample by the one rule the telemetry parser (the
 * gates) and the follower (progress) share: an event is a run of two or more consecutive samples
 * whose clock event reasons have a bit of {@link NvidiaCodes#THROTTLE_BITS}; a sample that cannot
 * say (a missing mask) ends a run. It also keeps what merging a later part of the log needs (the run
 * its first samples continue), so the parser's parallel chunks count a run across a seam once.
 */
public final class ThrottleEvents {
    private int run;
    private long events;
    /** Throttled samples before the first one that was not (a run going on from an earlier part). */
    private long lead;
    private boolean leadClosed;

    /** One sample's mask; a negative mask is a sample that cannot say. */
    public void sample(long mask) {
        if (mask >= 0 && NvidiaCodes.throttling(mask)) {
            if (++run == 2) {
                events++;
            }
            if (!leadClosed) {
                lead++;
            }
        } else {
            run = 0;
            leadClosed = true;
        }
    }

    public long events() {
        return events;
    }

    /** Appends the count of the samples that came next in the log (a later chunk of it). */
    void append(ThrottleEvents later) {
        long total = events + later.events;
        if (run > 0 && later.lead > 0) {
            // Each side counted its part of the run once it reached two samples; the joined run counts once.
            total -= (run >= 2 ? 1 : 0) + (later.lead >= 2 ? 1 : 0);
            total += run + later.lead >= 2 ? 1 : 0;
        }
        events = total;
        run = later.leadClosed ? later.run : run + later.run;
        if (!leadClosed) {
            lead += later.lead;
            leadClosed = later.leadClosed;
        }
    }
}
