package dev.jgrad.train;

import dev.jgrad.spi.DeviceKernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limit of a dataset kept on the device: row numbers travel as floats (device-free parts only). */
class BatchesTest {

    @Test
    void aDatasetOfUpTo2To24RowsCanBeAddressed() {
        assertDoesNotThrow(() -> Batches.checkAddressable("small", 1));
        assertDoesNotThrow(() -> Batches.checkAddressable("largest", DeviceKernels.GATHER_MAX_ROWS));
        // every row number below the limit survives the trip through a float
        int last = DeviceKernels.GATHER_MAX_ROWS - 1;
        assertTrue((int) (float) last == last && (int) (float) (last - 1) == last - 1);
    }

    @Test
    void oneRowMoreIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Batches.checkAddressable("huge", DeviceKernels.GATHER_MAX_ROWS + 1));
        assertTrue(e.getMessage().contains("huge") && e.getMessage().contains("16,777,217") && e.getMessage().contains("2^24")
                && e.getMessage().contains("on the host"), e.getMessage());
        // and why: the next row number is not a float
        assertTrue((int) (float) (DeviceKernels.GATHER_MAX_ROWS + 1) != DeviceKernels.GATHER_MAX_ROWS + 1);
    }
}
