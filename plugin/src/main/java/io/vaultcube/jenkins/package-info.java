/**
 * The Jenkins binding of the core runners: one Step and Execution per step, Actions for the build
 * page, file callables that run core on the agent. Filled by the plugin issue.
 */
package io.vaultcube.jenkins;
