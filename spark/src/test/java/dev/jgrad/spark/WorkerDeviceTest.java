package dev.jgrad.spark;

import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which device a worker opens: explicit, then the GPU Spark's resource scheduling gave the task, then the usual selection. */
class WorkerDeviceTest {
    @Test
    void explicitThenSparkGpuThenDefaultSelection() {
        Map<String, ResourceInformation> gpu1 = Map.of("gpu", new ResourceInformation("gpu", new String[]{"1"}));
        assertEquals("opencl:0", SegmentTask.deviceFor("opencl:0", gpu1));
        assertEquals("cuda:1", SegmentTask.deviceFor(null, gpu1));
        assertNull(SegmentTask.deviceFor(null, Map.of()));
        assertNull(SegmentTask.deviceFor(null, Map.of("gpu", new ResourceInformation("gpu", new String[0]))));
        assertNull(SegmentTask.deviceFor(null, Map.of("fpga", new ResourceInformation("fpga", new String[]{"0"}))));
    }
}
