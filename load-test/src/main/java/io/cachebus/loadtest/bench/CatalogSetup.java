package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.measure.WriteLedger;
import io.cachebus.loadtest.workload.Domain;
import io.cachebus.loadtest.workload.EntityCatalog;
import io.cachebus.loadtest.workload.EntityRef;
import io.cachebus.loadtest.workload.Marker;
import io.cachebus.loadtest.workload.NanoClock;
import io.cachebus.loadtest.workload.ReferenceApi;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates a run's entities through the API (so they exist exactly as the service stores them) and enters each
 * creation in the ledger as the write of {@link Marker#INITIAL}.
 */
final class CatalogSetup {

    /** The ledger id of an entity's creation; the workload's writes are numbered from 1. */
    static final long CREATION_WRITE_ID = 0;
    private static final int CONCURRENT_CREATES = 16;
    /**
     * Few enough that a node's Redis calls stay within its timeout on two busy cores: at 32 the passes' reads queued
     * for so long that every node's Redis breaker opened (slow calls) and thousands of reads of each pass were answered
     * without Redis, whatever was loaded then staying in one node's caches. A pass is CPU-bound either way, so it
     * takes about as long.
     */
    private static final int CONCURRENT_FIRST_READS = 8;
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private CatalogSetup() {
    }

    /** @param label part of every created entity's name, unique to the catalog (a tenant's names must differ) */
    static EntityCatalog create(ReferenceApi api, List<URI> nodes, List<String> tenants, int entitiesPerDomain,
            String label, WriteLedger ledger, NanoClock clock, long seed) throws InterruptedException {
        Semaphore slots = new Semaphore(CONCURRENT_CREATES);
        List<EntityRef> created = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<?>> pending = new ArrayList<>();
        int request = 0;
        for (String tenant : tenants) {
            for (Domain domain : Domain.values()) {
                for (int i = 0; i < entitiesPerDomain; i++) {
                    URI node = nodes.get(request++ % nodes.size());
                    slots.acquire();
                    long sent = clock.nanoTime();
                    pending.add(api.create(node, tenant, domain, label + "-" + i).whenComplete((id, error) -> {
                        slots.release();
                        if (error == null) {
                            EntityRef entity = new EntityRef(tenant, domain, id);
                            ledger.sent(entity, CREATION_WRITE_ID, Marker.INITIAL, sent);
                            ledger.acknowledged(entity, CREATION_WRITE_ID, clock.nanoTime());
                            created.add(entity);
                        }
                    }));
                }
            }
        }
        awaitAll(pending, TIMEOUT, "creating the workload's entities");
        // Creation completes in any order; sort so the seeded shuffle gives the same popularity order every run.
        List<EntityRef> ordered = new ArrayList<>(created);
        ordered.sort((a, b) -> a.toString().compareTo(b.toString()));
        return EntityCatalog.shuffled(ordered, seed);
    }

    /**
     * Waits for every request in {@code pending}; the first failure, or {@code timeout} passing, stops the run with
     * a message naming what was being done ({@code doing}: "creating the workload's entities").
     */
    static void awaitAll(List<? extends CompletableFuture<?>> pending, Duration timeout, String doing)
            throws InterruptedException {
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(doing + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(doing + " took over " + timeout, e);
        }
    }

    /**
     * Reads every entity of {@code catalog} and its derived data (a workflow's steps, a tenant's unread count) once,
     * each on the next node in turn: what a service that has been running a while holds in its caches (the entity in
     * Redis and one node's L1), so that the measured load's hit ratio is of a running service, not of one whose every
     * first read is still ahead of it. Waits for every read; a failed read stops the run.
     */
    static void readOnce(ReferenceApi api, List<URI> nodes, EntityCatalog catalog) throws InterruptedException {
        Semaphore slots = new Semaphore(CONCURRENT_FIRST_READS);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        int request = 0;
        for (EntityRef entity : catalog.all()) {
            for (boolean derived : new boolean[] {false, true}) {
                URI node = nodes.get(request++ % nodes.size());
                slots.acquire();
                CompletableFuture<ReferenceApi.Reply> read = derived ? api.readDerived(node, entity)
                        : api.read(node, entity);
                pending.add(read.whenComplete((reply, error) -> slots.release()).thenAccept(reply -> {
                    if (!reply.ok()) {
                        throw new IllegalStateException(entity + (derived ? " (derived)" : "") + " answered "
                                + reply.status());
                    }
                }));
            }
        }
        awaitAll(pending, TIMEOUT, "reading the workload's entities once");
    }
}
