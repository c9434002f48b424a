package org.diffeomotion.model;

/**
 * What one integration cost.
 *
 * @param steps accepted steps
 * @param rejected rejected steps (adaptive methods only)
 * @param evaluations evaluations of the right-hand side
 */
public record IntegrationStats(long steps, long rejected, long evaluations) {}
