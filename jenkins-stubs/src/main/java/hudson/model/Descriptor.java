package hudson.model;

import jenkins.model.Loadable;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.StaplerRequest2;
import jenkins.util.io.OnMaster;

public abstract class Descriptor<T extends Describable<T>> implements Loadable, Saveable, OnMaster {
    protected Descriptor(Class<? extends T> clazz) {
    }

    protected Descriptor() {
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public T newInstance(StaplerRequest2 req, JSONObject formData) throws FormException {
        throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public void save() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public void load() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static final class FormException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String formField;

        public FormException(String message, String formField) {
            super(message);
            this.formField = formField;
        }

        public FormException(String message, Throwable cause, String formField) {
            super(message, cause);
            this.formField = formField;
        }

        public String getFormField() {
            return formField;
        }
    }
}
