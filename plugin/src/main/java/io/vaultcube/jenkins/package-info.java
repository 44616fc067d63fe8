/**
 * The Jenkins binding of the core runners (see docs/pipeline-steps.md).
 *
 * <ul>
 *   <li>{@code steps}: one {@code Step} per Pipeline step, with its descriptor and execution; they
 *       run on the controller and hold no secret in any field;</li>
 *   <li>{@code agent}: the file callables that run on the agent holding the workspace; they build
 *       the core's settings there and call the core, and touch no Jenkins type beyond remoting's;</li>
 *   <li>{@code credentials}: credentials and withCredentials values, staged as private files on the
 *       agent for one call;</li>
 *   <li>{@code model}: what a build keeps (actions for the build page).</li>
 * </ul>
 */
package io.vaultcube.jenkins;
