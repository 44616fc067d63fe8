/**
 * One parser per tool output format ({@link io.vaultcube.pipeline.parse.EvidenceParser}), found by
 * kind in the {@link io.vaultcube.pipeline.parse.ParserRegistry}. Input flows in as a
 * {@link io.vaultcube.pipeline.parse.ParseInput}, metrics flow out; bad input is a
 * {@link io.vaultcube.pipeline.parse.ParseException} with file and line.
 */
package io.vaultcube.pipeline.parse;
