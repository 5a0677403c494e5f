package dev.portcullis.pipeline;

/**
 * One step of the request path. A step either answers the exchange itself or calls {@link Chain#proceed} exactly once
 * and may look at (or replace) what the rest of the chain answered.
 */
interface Step {
  Reply apply(Exchange exchange, Chain next);
}
