package org.diffeomotion.rosnode.ros;

/**
 * Calls one service. Each call looks the service up on the master (so a restarted server is
 * found again), connects, exchanges headers and one request/response, all within the timeout.
 */
public interface ServiceClient<Q, R> {

    /** Resolved service name. */
    String name();

    /**
     * Calls the service.
     *
     * @param request   the request. Not modified.
     * @param response  filled with the server's response. Modified.
     * @param timeoutMs bound on the whole call: lookup, connect and each read [ms]
     * @throws RosException if the service is unknown, unreachable, has another md5sum, or
     *                      answers with an error (the message carries the server's text)
     */
    void call(Q request, R response, int timeoutMs);
}
