/**
 * Event-bus plumbing of the runtime and client (internal, not API): reply correlation ({@code PendingReplies},
 * {@code Correlations}, {@code SlotTable}), unguessable ids ({@code SecureIds}), thread owner headers
 * ({@code Owners}) and event-loop affinity ({@code LoopAffinity}). Each class states its thread rules.
 */
package io.graphloop.internal.bus;
