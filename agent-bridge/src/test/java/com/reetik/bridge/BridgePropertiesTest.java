package com.reetik.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How many threads and renders {@code REETIK_BLOCK_WORKERS} gives each kind of agents. */
class BridgePropertiesTest {

    /** The bridge of {@code serve} or {@code generate}, the only one. */
    private static BridgeProperties workers(Integer blockWorkers) {
        return new BridgeProperties(blockWorkers, null, null, null, null, true);
    }

    @Test
    void shouldGiveTheOnlyBridgesLocalPreviewAThreadPerPartitionButOnlyItsWorkersRendersAtOnce() {
        // Given the local preview with REETIK_BLOCK_WORKERS=2 on 6 partitions, in serve
        BridgeProperties bridge = workers(2);

        // Then every partition has its thread (no thread owns most of a video's blocks), two of them rendering
        assertThat(bridge.blockListeners(false, 6)).isEqualTo(6);
        assertThat(bridge.rendersAtOnce(false, 6)).isEqualTo(2);
        // and the other listeners (scripts, assemblies) keep two threads
        assertThat(bridge.blockWorkers(false, 6)).isEqualTo(2);
        // more workers than partitions: one thread per worker
        assertThat(workers(8).blockListeners(false, 6)).isEqualTo(8);
        // unset: one render per core
        assertThat(workers(null).rendersAtOnce(false, 6)).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void shouldKeepOneThreadPerWorkerWhenBridgesShareThePartitions() {
        // Given a bridge service (several may run), local preview, REETIK_BLOCK_WORKERS=2 on 6 partitions
        BridgeProperties service = new BridgeProperties(2, null, null, null, null, false);

        // Then two threads: more would let the assignor give every partition to one bridge's threads
        assertThat(service.blockListeners(false, 6)).isEqualTo(2);
        assertThat(service.rendersAtOnce(false, 6)).isEqualTo(2);
    }

    @Test
    void shouldLeaveAgentsWithOperationsUnboundedBeyondTheirThreads() {
        // Given Veo or Cloud Run, whose threads wait on HTTP
        assertThat(workers(3).blockListeners(true, 6)).isEqualTo(3);
        assertThat(workers(3).rendersAtOnce(true, 6)).isZero();
        assertThat(workers(null).blockListeners(true, 6)).isEqualTo(6);
    }
}
