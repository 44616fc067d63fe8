package io.vaultcube.jenkins.model;

import hudson.Extension;
import hudson.model.Action;
import hudson.model.Job;
import java.util.Collection;
import java.util.List;
import jenkins.model.TransientActionFactory;

/**
 * Gives every job whose newest build ran a gate its {@link VaultJobAction}. A factory rather than
 * {@code LastBuildAction}: that one follows only the last successful build, and a job whose gates
 * keep failing is exactly the one whose trend must show.
 */
@Extension
@SuppressWarnings("rawtypes")
public class VaultJobActionFactory extends TransientActionFactory<Job> {
    /** How far back a job is looked at for a gate before it gets no trend (cheap: build.xml fields). */
    static final int LOOK_BACK = 10;

    @Override
    public Class<Job> type() {
        return Job.class;
    }

    @Override
    public Class<? extends Action> actionType() {
        return VaultJobAction.class;
    }

    @Override
    public Collection<? extends Action> createFor(Job target) {
        int n = 0;
        for (hudson.model.Run<?, ?> r = target.getLastBuild(); r != null && n < LOOK_BACK; r = r.getPreviousBuild(), n++) {
            if (r.getAction(VaultRunAction.class) != null) {
                return List.of(new VaultJobAction(target));
            }
        }
        return List.of();
    }
}
