package dev.portcullis.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A prompt, resource or resource template as agents see it: the name (or URI) they use, the upstream that serves it,
 * its name there, and the definition as the upstream listed it.
 */
public record Entry(String name, String upstream, String upstreamName, ObjectNode definition) {}
