package hudson.model;

/** Deprecated in core since 2.505 and empty, but {@code Step} still extends it. */
@Deprecated
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {
}
