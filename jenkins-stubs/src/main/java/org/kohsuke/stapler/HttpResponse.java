package org.kohsuke.stapler;

/** Only the type: its generateResponse methods (servlet types) are Jenkins' to call, never the plugin's. */
public interface HttpResponse {
}
