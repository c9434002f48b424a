package org.diffeomotion.ros1;

/**
 * Handles service calls. Calls on one connection are sequential; different connections may call
 * concurrently. Throwing answers the caller with ok=0 and the exception's message.
 *
 * @param <Q> request type
 * @param <R> response type
 */
@FunctionalInterface
public interface ServiceHandler<Q, R> {
  /**
   * @param request the decoded request. Not modified.
   * @param response a reused response object to fill in. Modified.
   */
  void handle(Q request, R response) throws Exception;
}
